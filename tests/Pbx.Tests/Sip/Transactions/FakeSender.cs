using System.Net;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Sip.Transactions;

/// <summary>Records every message the transaction layer sends; no sockets.</summary>
internal sealed class FakeSender : ISipMessageSender
{
    private readonly List<(SipMessage Message, SipEndPoint Remote)> _sent = [];

    public bool Fail { get; set; }

    /// <summary>Runs on the sending thread before a message is recorded (a test may block it there).</summary>
    public Action<SipMessage>? BeforeRecord { get; set; }

    public IReadOnlyList<(SipMessage Message, SipEndPoint Remote)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<SipRequest> Requests(string method) =>
        [.. Sent.Select(s => s.Message).OfType<SipRequest>().Where(r => r.Method == method)];

    public IReadOnlyList<SipResponse> Responses(int? status = null) =>
        [.. Sent.Select(s => s.Message).OfType<SipResponse>().Where(r => status is null || r.StatusCode == status)];

    public void Clear()
    {
        lock (_sent)
        {
            _sent.Clear();
        }
    }

    public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default)
    {
        if (Fail)
        {
            return ValueTask.FromResult(false);
        }

        BeforeRecord?.Invoke(message);
        lock (_sent)
        {
            _sent.Add((message, remote));
        }

        return ValueTask.FromResult(true);
    }

    public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) => receivedFrom;

    public SipEndPoint GetLocalEndPoint(SipProtocol protocol) =>
        new(protocol, new IPEndPoint(IPAddress.Loopback, 5070));
}
