using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>
/// A scripted agent phone of the compressed day over raw UDP: registered with digest (the queue logs it in), it answers
/// each INVITE 180 at once and 200 OK after the ring time its caller's script gives (the caller number carries the call's
/// index), hangs up with BYE after the handle time, and answers a CANCEL 200 + 487. Every state change it causes or sees
/// goes into the <see cref="DayTruth"/>: ringing at the INVITE, on call at its 200, available at a CANCEL, wrap-up at
/// the BYE, available again after the queue's wrap-up.
/// </summary>
internal sealed class DayAgent(string extension, RawSipClient client, DayTruth truth, ConcurrentDictionary<int, DayCallLog> log,
    IPEndPoint media) : DayPhone(client)
{
    private readonly Dictionary<string, (string Invite, string Tag, string? Last)> _dialogs = [];

    public string Extension { get; } = extension;

    public async Task RegisterAsync(int expires)
    {
        List<string> finals = await Client.RegisterAsync(Extension, "pass" + Extension, expires);
        int status = finals.Count == 0 ? 0 : SipText.StatusCode(finals[^1]);
        Assert.True(status == 200, $"{Extension}: REGISTER answered {status}");
        truth.Agent(Extension, Now, expires > 0 ? "Available" : "LoggedOut");
    }

    protected override async Task OnMessageAsync(string message)
    {
        if (SipText.StatusCode(message) != 0)
        {
            return; // the 200 to our BYE
        }
        string callId = SipText.Header(message, "Call-ID")!;
        switch (Method(message))
        {
            case "INVITE" when _dialogs.TryGetValue(callId, out var known):
                if (known.Last is not null)
                {
                    await Client.SendAsync(known.Last); // a retransmission: the same answer again
                }
                break;
            case "INVITE":
                await OnInviteAsync(callId, message);
                break;
            case "CANCEL" when _dialogs.TryGetValue(callId, out var ringing):
                await Client.SendAsync(Response(message, 200, "OK", ringing.Tag));
                if (SipText.StatusCode(ringing.Last ?? "") < 200)
                {
                    truth.Agent(Extension, Now, "Available");
                    string terminated = Response(ringing.Invite, 487, "Request Terminated", ringing.Tag);
                    _dialogs[callId] = (ringing.Invite, ringing.Tag, terminated);
                    await Client.SendAsync(terminated);
                }
                break;
            case "BYE" when _dialogs.TryGetValue(callId, out var up):
                await Client.SendAsync(Response(message, 200, "OK", up.Tag));
                if (_dialogs.Remove(callId))
                {
                    HungUp(callId, up.Invite); // the caller hung up first
                }
                break;
            case "ACK":
                break;
            default:
                await Client.SendAsync(Response(message, 200, "OK", RawSipClient.NewToken()));
                break;
        }
    }

    private async Task OnInviteAsync(string callId, string invite)
    {
        truth.Agent(Extension, Now, "Ringing");
        string tag = RawSipClient.NewToken();
        string ringing = Response(invite, 180, "Ringing", tag, contactUser: Extension);
        _dialogs[callId] = (invite, tag, ringing);
        await Client.SendAsync(ringing);
        int index = IndexOf(invite);
        DayCall script = CompressedDay.Script(index);
        At(Now.AddSeconds(script.RingSeconds), async () =>
        {
            if (!_dialogs.TryGetValue(callId, out var d) || SipText.StatusCode(d.Last ?? "") != 180)
            {
                return; // cancelled meanwhile
            }
            string ok = Response(invite, 200, "OK", tag, RawCall.Sdp(media), Extension);
            _dialogs[callId] = (invite, tag, ok);
            await Client.SendAsync(ok);
            DateTimeOffset answered = Now;
            truth.Agent(Extension, answered, "OnCall");
            DayCallLog entry = log.GetOrAdd(index, _ => new DayCallLog());
            entry.AnsweredAt = answered;
            entry.Agent = Extension;
            At(answered.AddSeconds(script.HandleSeconds), async () =>
            {
                if (_dialogs.Remove(callId))
                {
                    await Client.SendAsync(InDialog("BYE", invite, tag, 1, Extension));
                    HungUp(callId, invite);
                }
            });
        });
    }

    private void HungUp(string callId, string invite)
    {
        DateTimeOffset at = Now;
        truth.Agent(Extension, at, "WrapUp");
        truth.Agent(Extension, at.AddSeconds(CompressedDay.WrapUpSeconds), "Available", DayTruth.WrapUpEnd);
        DayCallLog entry = log.GetOrAdd(IndexOf(invite), _ => new DayCallLog());
        entry.TalkSeconds = (at - entry.AnsweredAt!.Value).TotalSeconds;
        _ = callId;
    }

    /// <summary>The scripted call's index from the caller number in From (+15550000NNN).</summary>
    private static int IndexOf(string invite)
    {
        string from = SipText.Header(invite, "From")!;
        int at = from.IndexOf("+15550000", StringComparison.Ordinal);
        return int.Parse(from.AsSpan(at + 9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
