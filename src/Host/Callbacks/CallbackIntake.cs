using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Callbacks;

/// <summary>
/// Takes "call me back" requests from the web (<c>X-Api-Key</c> of a <see cref="CallbackSite"/>) and from signed-in
/// console users: checks the key, the rate limits (per key or user, per client address, per number: the same number at
/// most once per <see cref="CallbackSettings.NumberWindowMinutes"/>, also across restarts through the database), the
/// number (E.164, allowed prefixes), the queue and <c>notBefore</c>, then hands the ticket to the queues' callback desk.
/// </summary>
public sealed class CallbackIntake(CallbackSettings settings, CallbackRateLimiter limiter, CallbackStore store, TimeProvider time)
{
    /// <summary>Longest accepted <c>name</c>.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest accepted <c>note</c>.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>How far ahead <c>notBefore</c> may be.</summary>
    public static readonly TimeSpan MaxNotBefore = TimeSpan.FromDays(30);

    public CallbackSettings Settings => settings;

    /// <summary>The site whose key is <paramref name="apiKey"/> (compared in constant time), or null.</summary>
    public CallbackSite? FindSite(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return null;
        }
        byte[] given = Encoding.UTF8.GetBytes(apiKey);
        CallbackSite? found = null;
        foreach (var site in settings.Sites)
        {
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(site.ApiKey)))
            {
                found = site;
            }
        }
        return found;
    }

    /// <summary>
    /// Checks <paramref name="body"/>: null when valid (with the parsed <paramref name="notBefore"/>, null = as soon as
    /// possible; one in the past counts as now), else the reason (HTTP 400).
    /// </summary>
    public static string? Validate(CallbackRequestBody? body, IReadOnlyList<string> prefixes, DateTimeOffset now, out DateTimeOffset? notBefore)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        notBefore = null;
        if (body is null)
        {
            return "the body must be a JSON object with at least \"number\"";
        }
        if (string.IsNullOrEmpty(body.Number))
        {
            return "\"number\" is required (E.164, e.g. +15550000002)";
        }
        if (!PhoneNumbers.IsE164(body.Number))
        {
            return $"\"number\" '{body.Number}' is not an E.164 number ('+', country code and number, at most 15 digits)";
        }
        if (!PhoneNumbers.IsAllowed(body.Number, prefixes))
        {
            return $"\"number\" '{body.Number}' is not in the allowed prefixes ({string.Join(", ", prefixes)})";
        }
        if (body.Name is { Length: > MaxNameLength })
        {
            return $"\"name\" is longer than {MaxNameLength} characters";
        }
        if (body.Note is { Length: > MaxNoteLength })
        {
            return $"\"note\" is longer than {MaxNoteLength} characters";
        }
        if (body.Queue is { } queue && (queue.Length is 0 or > 64 || queue.Any(char.IsControl)))
        {
            return "\"queue\" must be a queue name";
        }
        if (!string.IsNullOrEmpty(body.NotBefore))
        {
            if (!DateTimeOffset.TryParse(body.NotBefore, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                || !HasOffset(body.NotBefore))
            {
                return $"\"notBefore\" '{body.NotBefore}' is not an ISO 8601 date and time with an offset (2026-12-07T15:00:00Z)";
            }
            if (at > now + MaxNotBefore)
            {
                return $"\"notBefore\" is more than {MaxNotBefore.TotalDays:0} days ahead";
            }
            notBefore = at > now ? at : null;
        }
        return null;
    }

    /// <summary>
    /// A request from <paramref name="requestedBy"/> (a site's name or a console user; <paramref name="source"/>
    /// <c>web</c> or <c>console</c>) at <paramref name="address"/>: rate limits, validation, then
    /// <paramref name="place"/> (the callback desk's <see cref="CallbackDesk.RequestAsync"/>; null: callbacks are off).
    /// </summary>
    public async Task<CallbackIntakeResult> SubmitAsync(CallbackRequestBody? body, string source, string requestedBy, string address,
        CallbackSite? site, Func<CallbackTicket, CancellationToken, Task<CallbackPlacement>>? place, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestedBy);
        var minute = TimeSpan.FromMinutes(1);
        if (!limiter.TryAcquire($"{source}:{requestedBy}", settings.PerKeyPerMinute, minute, out var wait))
        {
            return CallbackIntakeResult.Limited($"more than {settings.PerKeyPerMinute} requests per minute from {requestedBy}", wait);
        }
        if (!limiter.TryAcquire("address:" + address, settings.PerAddressPerMinute, minute, out wait))
        {
            return CallbackIntakeResult.Limited($"more than {settings.PerAddressPerMinute} requests per minute from {address}", wait);
        }
        var now = time.GetUtcNow();
        if (Validate(body, settings.PrefixesFor(site), now, out var notBefore) is { } invalid)
        {
            return CallbackIntakeResult.Invalid(invalid);
        }
        if (place is null)
        {
            return new CallbackIntakeResult(503, "callbacks are off (no queues)");
        }
        var number = body!.Number!;
        var window = TimeSpan.FromMinutes(settings.NumberWindowMinutes);
        if (window > TimeSpan.Zero)
        {
            if (!limiter.TryAcquire("number:" + number, 1, window, out wait))
            {
                return CallbackIntakeResult.Limited($"{number} already asked for a callback in the last {settings.NumberWindowMinutes} minutes", wait);
            }
            if (await store.CountRequestsForNumberAsync(number, now - window, cancellationToken).ConfigureAwait(false) > 0)
            {
                return CallbackIntakeResult.Limited($"{number} already asked for a callback in the last {settings.NumberWindowMinutes} minutes", window);
            }
        }
        var queue = body.Queue ?? (site is { Queue.Length: > 0 } ? site.Queue : settings.DefaultQueue);
        var placement = await place(new CallbackTicket
        {
            Id = Guid.NewGuid().ToString("N"),
            Queue = queue,
            Number = number,
            Name = string.IsNullOrWhiteSpace(body.Name) ? null : body.Name,
            Note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note,
            ArrivedAt = now,
            RequestedAt = now,
            NotBefore = notBefore,
            Source = source,
            RequestedBy = requestedBy,
            SourceAddress = address,
        }, cancellationToken).ConfigureAwait(false);
        if (!placement.Accepted)
        {
            limiter.Release("number:" + number); // refused: the number may ask again at once
            return new CallbackIntakeResult(placement.Status, placement.Error);
        }
        return new CallbackIntakeResult(202, null, placement);
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
