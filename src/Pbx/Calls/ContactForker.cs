using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Parallel forking to every registered contact of an address-of-record (RFC 3261 §16.6 / §19.1.5 as a B2BUA does
/// it): one <see cref="OutboundLeg"/> per usable binding, all offered the same RTP session, each INVITE sent to the
/// binding's reachable address (<see cref="BridgedCall.ContactDestination"/>). Shared by the B2BUA and application calls.
/// </summary>
internal static class ContactForker
{
    /// <param name="attach">Called for each new fork before its INVITE leaves (index 0 first): add it to the call's
    /// legs and wire or share the media session.</param>
    public static int Fork(Call call, IReadOnlyList<Binding> bindings, string target, NameAddress callerIdentity,
        RtpSession media, int maxForwards, Action<OutboundLeg, int> attach, Action<OutboundLeg, SipResponse> onResponse,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        var context = call.Context;
        var count = 0;
        foreach (var binding in bindings)
        {
            if (binding.Source is not SipEndPoint source || !SipUri.TryParse(binding.ContactUri, out var contactUri))
            {
                continue;
            }
            var destination = BridgedCall.ContactDestination(source, contactUri);
            var fork = new OutboundLeg(call, context.Stack, destination);
            attach(fork, count++);
            context.Registry.RegisterLeg(fork);
            var offer = context.Negotiator.CreateOffer(media, fork.Sdp, destination);
            var (host, _) = context.Stack.LocalFor(destination);
            var to = NameAddress.Parse($"<sip:{target}@{host}>");
            var from = NameAddress.Parse(callerIdentity.ToString());
            from.Parameters.Remove("tag");
            from.Uri.Host = host;
            fork.SendInvite(contactUri, from, to, offer, maxForwards, onResponse, extraHeaders);
        }
        return count;
    }
}
