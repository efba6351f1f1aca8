using System.Text.Encodings.Web;
using System.Text.Json;

namespace Telephony.Recording.Storage;

/// <summary>
/// The payloads of a message left: the <c>voicemail.left</c> event and the <c>voicemail</c> alert (webhooks), both with
/// the link to the audio (<see cref="VoicemailMessage.AudioPath"/>), and <see cref="PublishAsync"/>, which stores the
/// alert (with its outbox entries) and the event.
/// </summary>
public static class VoicemailEvents
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON of message <paramref name="message"/> (with <c>kind</c> when <paramref name="kind"/> is given).</summary>
    public static string PayloadJson(VoicemailMessage message, string? kind = null, bool repaired = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(new
        {
            kind,
            voicemailId = message.Id,
            mailbox = message.Mailbox,
            callId = message.CallId,
            caller = message.Caller,
            createdAt = message.CreatedAt,
            durationMs = message.Duration is { } d ? (long)d.TotalMilliseconds : (long?)null,
            audio = message.AudioPath,
            repaired = repaired ? true : (bool?)null,
        }, Json);
    }

    /// <summary>Stores the <c>voicemail.left</c> event and the <c>voicemail</c> alert for <paramref name="webhooks"/>.</summary>
    public static async Task PublishAsync(Database database, VoicemailMessage message, IEnumerable<string> webhooks, DateTimeOffset at,
        bool repaired = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await new EventLog(database).AppendAsync(EventTypes.VoicemailLeft, message.CallId, PayloadJson(message, null, repaired), at,
            cancellationToken).ConfigureAwait(false);
        await new AlertStore(database).CreateAsync(AlertKinds.Voicemail, message.CallId, message.Caller,
            PayloadJson(message, AlertKinds.Voicemail, repaired), at, webhooks, cancellationToken).ConfigureAwait(false);
    }
}
