using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Sip;

/// <summary>An <see cref="ISipMessageHandler"/> whose behaviour a test can swap while the transport runs.</summary>
internal sealed class SwitchableMessageHandler(Func<SipMessage, SipEndPoint, SipEndPoint, ValueTask> handle) : ISipMessageHandler
{
    public Func<SipMessage, SipEndPoint, SipEndPoint, ValueTask> Handle { get; set; } = handle;

    public ValueTask OnMessageAsync(SipMessage message, SipEndPoint remote, SipEndPoint local) => Handle(message, remote, local);
}

/// <summary>An <see cref="ISipTransactionUser"/> whose callbacks a test sets (unset ones do nothing).</summary>
internal sealed class TestTransactionUser : ISipTransactionUser
{
    public Func<ServerTransaction, ValueTask>? Request { get; set; }

    public Func<SipRequest, SipEndPoint, ValueTask>? Ack { get; set; }

    public Func<SipResponse, SipEndPoint, ValueTask>? Stray { get; set; }

    public ValueTask OnRequestAsync(ServerTransaction transaction) => Request?.Invoke(transaction) ?? ValueTask.CompletedTask;

    public ValueTask OnAckAsync(SipRequest ack, SipEndPoint remote) => Ack?.Invoke(ack, remote) ?? ValueTask.CompletedTask;

    public ValueTask OnStrayResponseAsync(SipResponse response, SipEndPoint remote) =>
        Stray?.Invoke(response, remote) ?? ValueTask.CompletedTask;
}
