using System.Net;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp;
using Microsoft.Extensions.Time.Testing;

namespace Telephony.Pbx.Tests.Media.Transport;

/// <summary>
/// The seam between the channel and RTP parsing (where SRTP and the WebRTC stack plug in), shown with toy transforms:
/// one that scrambles payloads and adds a 4-byte trailer (as SRTP adds its tag), one that answers a probe datagram and
/// moves the media destination (as ICE does on nomination).
/// </summary>
public sealed class RtpTransformTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMediaNetwork _network = new();
    private readonly MediaEngine _engine;

    public RtpTransformTests()
    {
        _engine = new MediaEngine(new MediaEngineOptions { Transport = _network, Pacing = MediaPacing.Manual, LoopCount = 1 },
            time: _time);
        _engine.Start();
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private void Tick()
    {
        _time.Advance(TimeSpan.FromMilliseconds(20));
        _engine.Tick();
    }

    [Fact]
    public void Every_packet_in_and_out_passes_the_transform()
    {
        using var peer = _network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.30"), 0));
        var session = _engine.CreateSession("scrambled");
        var transform = new ScramblingTransform();
        session.SetTransform(transform);
        session.Configure(new RtpSessionParameters(peer.LocalEndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        session.SetSource(EchoSource.Instance);
        var to = new IPEndPoint(_network.SessionAddress, session.LocalRtpPort);

        var heard = new List<short>();
        for (var frame = 0; frame < 40; frame++)
        {
            var packet = new byte[RtpHeader.FixedSize + 160];
            new RtpHeader(0, (ushort)frame, (uint)(frame * 160), 7).TryWrite(packet, out _);
            Tone.Pcmu(frame, 1000).CopyTo(packet, RtpHeader.FixedSize);
            peer.SendTo(ScramblingTransform.Protect(packet), to);
            Tick();
            while (peer.TryReceive(out var datagram, out _))
            {
                var plain = ScramblingTransform.Unprotect(datagram);
                Assert.NotNull(plain);
                Assert.True(RtpHeader.TryRead(plain, out var header, out var headerLength));
                var pcm = new short[160];
                MuLaw.Decode(header.GetPayload(plain, headerLength), pcm);
                heard.AddRange(pcm);
            }
        }

        Assert.Equal(40, transform.Inbound);
        Assert.Equal(40, transform.Outbound);
        var echoed = heard.Skip(10 * 160).ToArray();
        Assert.True(Tone.Share(echoed, 1000) > 0.9, $"1 kHz share {Tone.Share(echoed, 1000):F2}");

        peer.SendTo([0x80, 0, 0, 1, 2, 3], to); // no valid trailer
        Tick();
        Assert.Equal(1, _engine.Stats.Dropped[MediaDropReason.RtpTooShort]);
    }

    [Fact]
    public void A_transform_can_answer_on_the_channel_and_move_the_media_destination()
    {
        using var signalled = _network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.40"), 0));
        using var nominated = _network.Bind(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 0));
        var session = _engine.CreateSession("probe");
        session.SetTransform(new ProbeTransform());
        session.Configure(new RtpSessionParameters(signalled.LocalEndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick();
        Assert.Single(signalled.Drain());

        nominated.SendTo([0x01, 0xAA], new IPEndPoint(_network.SessionAddress, session.LocalRtpPort));
        Tick();
        var received = nominated.Drain();
        Assert.Equal([0x01, 0xBB], received[0]); // the answer, sent through the channel
        Assert.Equal(2, received.Count);        // then RTP, to the new destination
        Tick();
        Assert.Empty(signalled.Drain());
        Assert.Single(nominated.Drain());
    }

    /// <summary>XORs everything after the RTP header with 0x5A and appends "TAG!" (4 bytes, like an SRTP tag).</summary>
    private sealed class ScramblingTransform : IRtpTransform
    {
        private static readonly byte[] Tag = "TAG!"u8.ToArray();

        public int Inbound { get; private set; }
        public int Outbound { get; private set; }
        public int MaxOverheadBytes => Tag.Length;

        private IRtpTransformContext? _context;

        public void Attach(IRtpTransformContext context) => _context = context;

        public void Detach()
        {
        }

        MediaPacketKind IRtpTransform.Inbound(MediaSocket socket, Span<byte> datagram, ref int length, SocketAddress source)
        {
            if (socket == MediaSocket.Rtcp)
            {
                return MediaPacketKind.Rtcp;
            }

            if (length < RtpHeader.FixedSize + Tag.Length || !datagram[(length - Tag.Length)..length].SequenceEqual(Tag))
            {
                _context!.CountDrop(MediaDropReason.RtpTooShort);
                return MediaPacketKind.Dropped;
            }

            length -= Tag.Length;
            Xor(datagram[RtpHeader.FixedSize..length]);
            Inbound++;
            return MediaPacketKind.Rtp;
        }

        bool IRtpTransform.Outbound(MediaPacketKind kind, Span<byte> buffer, ref int length)
        {
            if (kind == MediaPacketKind.Rtp)
            {
                Xor(buffer[RtpHeader.FixedSize..length]);
                Tag.CopyTo(buffer[length..]);
                length += Tag.Length;
                Outbound++;
            }

            return true;
        }

        public static byte[] Protect(byte[] plain)
        {
            var packet = new byte[plain.Length + Tag.Length];
            plain.CopyTo(packet, 0);
            Xor(packet.AsSpan(RtpHeader.FixedSize, plain.Length - RtpHeader.FixedSize));
            Tag.CopyTo(packet, plain.Length);
            return packet;
        }

        public static byte[]? Unprotect(byte[] packet)
        {
            if (!packet.AsSpan(packet.Length - Tag.Length).SequenceEqual(Tag))
            {
                return null;
            }

            var plain = packet[..^Tag.Length];
            Xor(plain.AsSpan(RtpHeader.FixedSize));
            return plain;
        }

        private static void Xor(Span<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] ^= 0x5A;
            }
        }
    }

    /// <summary>A datagram starting 0x01 is a "check": answered 0x01 0xBB and its source becomes the destination.</summary>
    private sealed class ProbeTransform : IRtpTransform
    {
        private IRtpTransformContext? _context;

        public int MaxOverheadBytes => 0;

        public void Attach(IRtpTransformContext context) => _context = context;

        public void Detach()
        {
        }

        public MediaPacketKind Inbound(MediaSocket socket, Span<byte> datagram, ref int length, SocketAddress source)
        {
            if (length > 0 && datagram[0] == 0x01)
            {
                _context!.Channel.TrySend(socket, [0x01, 0xBB], source);
                _context.SetRemote(source, null);
                return MediaPacketKind.Consumed;
            }

            return socket == MediaSocket.Rtcp ? MediaPacketKind.Rtcp : MediaPacketKind.Rtp;
        }

        public bool Outbound(MediaPacketKind kind, Span<byte> buffer, ref int length) => true;
    }
}
