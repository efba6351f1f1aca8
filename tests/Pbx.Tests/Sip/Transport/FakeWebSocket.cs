using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Telephony.Pbx.Tests.Sip.Transport;

/// <summary>An in-memory <see cref="WebSocket"/>: the test queues what the peer sends and reads what we sent (no sockets).</summary>
internal sealed class FakeWebSocket : WebSocket
{
    private readonly Channel<(byte[] Data, WebSocketMessageType Type, bool End)> _inbound = Channel.CreateUnbounded<(byte[], WebSocketMessageType, bool)>();
    private WebSocketState _state = WebSocketState.Open;

    public Channel<string> Sent { get; } = Channel.CreateUnbounded<string>();
    public List<WebSocketMessageType> SentTypes { get; } = [];
    public WebSocketCloseStatus? ClosedWith { get; private set; }

    public override WebSocketCloseStatus? CloseStatus => ClosedWith;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => _state;
    public override string? SubProtocol => "sip";

    /// <summary>The peer sends one text message, optionally split into frames of <paramref name="frameBytes"/>.</summary>
    public void PeerSends(string text, int frameBytes = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length || offset == 0; offset += frameBytes)
        {
            var n = Math.Min(frameBytes, bytes.Length - offset);
            _inbound.Writer.TryWrite((bytes.AsSpan(offset, n).ToArray(), WebSocketMessageType.Text, offset + n >= bytes.Length));
            if (bytes.Length == 0)
            {
                break;
            }
        }
    }

    public void PeerCloses() => _inbound.Writer.TryWrite(([], WebSocketMessageType.Close, true));

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var (data, type, end) = await _inbound.Reader.ReadAsync(cancellationToken);
        if (type == WebSocketMessageType.Close)
        {
            _state = WebSocketState.CloseReceived;
            return new WebSocketReceiveResult(0, type, true, WebSocketCloseStatus.NormalClosure, null);
        }

        data.CopyTo(buffer.AsSpan());
        return new WebSocketReceiveResult(data.Length, type, end);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage,
        CancellationToken cancellationToken)
    {
        SentTypes.Add(messageType);
        Sent.Writer.TryWrite(Encoding.UTF8.GetString(buffer));
        return Task.CompletedTask;
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        ClosedWith = closeStatus;
        _state = WebSocketState.Closed;
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose()
    {
    }
}
