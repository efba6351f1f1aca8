using System.Globalization;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// The registrar (RFC 3261 §10.3): authenticates REGISTER, keeps bindings in the <see cref="LocationTable"/>
/// with the transport address the phone used (so calls reach phones behind NAT), answers with the current
/// bindings, supports several contacts per user, un-REGISTER (Expires 0) and <c>Contact: *</c>.
/// Every REGISTER is authenticated before its address-of-record is looked at, and an AOR other than the
/// authenticated user (unknown or not) gets the same 403, so the registrar does not tell which users exist.
/// </summary>
public sealed class RegistrarService(SipStack stack, SipAuthenticator auth, LocationTable locations, SipOptions options,
    TimeProvider time, ILogger<RegistrarService> logger)
{
    /// <summary>The reason phrase of the 403 for an address-of-record that is not the authenticated user.</summary>
    public const string AorMismatchReason = "Credentials do not match the address of record";

    public async ValueTask HandleAsync(ServerTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var request = tx.Request;
        if (!auth.TryAuthenticate(stack, tx, out var user, out var reject))
        {
            await tx.SendResponseAsync(reject!);
            return;
        }
        if (request.To?.Uri.User is not { } aor || !string.Equals(user, aor, StringComparison.Ordinal))
        {
            logger.LogWarning("REGISTER for {Aor} with credentials of {User} refused", request.To?.Uri.User, user);
            await tx.SendResponseAsync(stack.CreateResponse(request, 403, AorMismatchReason));
            return;
        }

        var headerExpires = ParseExpires(request.Headers.Get(HeaderName.Expires));
        var contacts = request.Headers.GetAll(HeaderName.Contact);
        var callId = request.CallId ?? "";
        var cseq = request.CSeq.Number;
        LocationUpdateResult result;

        if (contacts.Count == 1 && contacts[0].Trim() == "*")
        {
            if (headerExpires != 0)
            {
                await tx.SendResponseAsync(stack.CreateResponse(request, 400, "Contact * requires Expires: 0"));
                return;
            }
            result = locations.RemoveAll(aor, callId, cseq);
        }
        else
        {
            var requests = new List<BindingRequest>(contacts.Count);
            foreach (var value in contacts)
            {
                if (!NameAddress.TryParse(value, out var contact) || contact.IsWildcard)
                {
                    await tx.SendResponseAsync(stack.CreateResponse(request, 400, "Bad Contact"));
                    return;
                }
                var expires = ParseExpires(contact.Parameters.TryGetValue("expires", out var e) ? e : null)
                    ?? headerExpires ?? options.DefaultExpires;
                if (expires > 0 && expires < options.MinExpires)
                {
                    var tooBrief = stack.CreateResponse(request, 423, "Interval Too Brief");
                    tooBrief.Headers.Add(HeaderName.MinExpires, options.MinExpires.ToString(CultureInfo.InvariantCulture));
                    await tx.SendResponseAsync(tooBrief);
                    return;
                }
                expires = Math.Min(expires, options.MaxExpires);
                contact.Parameters.TryGetValue("+sip.instance", out var instance);
                var q = contact.Parameters.TryGetValue("q", out var qs) &&
                        double.TryParse(qs, NumberStyles.Float, CultureInfo.InvariantCulture, out var qv) ? qv : 1.0;
                requests.Add(new BindingRequest(contact.Uri.ToString(), TimeSpan.FromSeconds(expires), q, instance?.Trim('"')));
            }
            result = locations.Update(aor, callId, cseq, requests, tx.Remote); // empty list = query
        }

        if (!result.IsOk)
        {
            await tx.SendResponseAsync(stack.CreateResponse(request, 500, "Out of order REGISTER"));
            return;
        }

        var ok = stack.CreateResponse(request, 200);
        var now = time.GetUtcNow();
        foreach (var binding in result.Bindings)
        {
            ok.Headers.Add(HeaderName.Contact, string.Create(CultureInfo.InvariantCulture,
                $"<{binding.ContactUri}>;expires={binding.RemainingSeconds(now)}"));
        }
        ok.Headers.Add(HeaderName.Date, DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        await tx.SendResponseAsync(ok);
        logger.LogInformation("REGISTER {Aor} from {Source}: {Count} binding(s)", aor, tx.Remote, result.Bindings.Count);
    }

    private static int? ParseExpires(string? value) =>
        value is not null && int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
