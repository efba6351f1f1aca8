using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// SIP over WebSocket for the calls mode, as a browser does it (RFC 7118): one connection per call (one browser page
/// each) to <c>ws://host:port/sip</c> with the <c>sip</c> subprotocol, opened from the probe's local address, one SIP
/// message per text frame. Sends happen under the call's gate (one writer per connection); each connection has its own
/// receive loop that hands whole messages to the signalling. Reliable transport: no retransmissions (RFC 3261
/// §17.1.1.2).
/// </summary>
internal sealed class WebSocketSip : IDisposable
{
    private readonly Uri _uri;
    private readonly HttpMessageInvoker _invoker;
    private readonly Action<ProbeCall, byte[], int> _onMessage;
    private readonly ConcurrentDictionary<ProbeCall, ClientWebSocket> _byCall = new();
    private readonly CancellationTokenSource _stop = new();

    public WebSocketSip(Uri uri, IPAddress local, Action<ProbeCall, byte[], int> onMessage)
    {
        _uri = uri;
        _onMessage = onMessage;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            // Bind the TCP connection to the probe's address (the trunk's), as the UDP signalling does.
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
    }

    public long ConnectFailures { get; private set; }

    /// <summary>Sends one message on the call's connection, opening it first (a page connects before it calls).</summary>
    public bool Send(ProbeCall call, string text)
    {
        try
        {
            if (!_byCall.TryGetValue(call, out var ws))
            {
                ws = new ClientWebSocket();
                ws.Options.AddSubProtocol("sip");
                ws.ConnectAsync(_uri, _invoker, _stop.Token).GetAwaiter().GetResult();
                _byCall[call] = ws;
                _ = Task.Run(() => ReceiveAsync(call, ws));
            }
            ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _stop.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException or OperationCanceledException)
        {
            ConnectFailures++;
            return false;
        }
    }

    private async Task ReceiveAsync(ProbeCall call, ClientWebSocket ws)
    {
        var buffer = new byte[65536];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                _onMessage(call, buffer, length);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // closed by the server or at the end of the run
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var ws in _byCall.Values)
        {
            ws.Abort();
            ws.Dispose();
        }
        _invoker.Dispose();
        _stop.Dispose();
    }
}
