using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Telephony.Pbx.WebRtc.Ice;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Benchmarks;

/// <summary>
/// One ICE connectivity check as Chrome sends it (USERNAME, GOOG-NETWORK-INFO, PRIORITY, ICE-CONTROLLING,
/// USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT; RFC 8445 §7.3): parse + verify alone, and the whole
/// <see cref="IceLiteResponder.Handle(ReadOnlySpan{byte}, SocketAddress, Span{byte}, out int)"/> (parse, CRC-32,
/// two HMAC-SHA1s, XOR-MAPPED-ADDRESS, response written). Runs on the media loop, so expect 0 B.
/// </summary>
[MemoryDiagnoser]
public class StunBenchmarks
{
    private static readonly IceCredentials Local = new("Lo4l", "localpassword0123456789");
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Local.Password);
    private readonly byte[] _response = new byte[IceLiteResponder.MaxResponseSize];
    private byte[] _request = [];
    private SocketAddress _source = null!;
    private IceLiteResponder _responder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, "0123456789ab"u8);
        writer.TryAddUsername("Lo4l:R3mt"u8);
        writer.TryAdd(0xC057, [0, 1, 0, 10]);
        writer.TryAddPriority(0x6E7F1EFF);
        writer.TryAddIceControlling(0x1122334455667788);
        writer.TryAddUseCandidate();
        writer.TryAddMessageIntegrity(Key);
        writer.TryAddFingerprint();
        _request = buffer[..writer.Length];
        _source = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 54321).Serialize();
        _responder = new IceLiteResponder(Local);
        _responder.SetRemoteCredentials("R3mt", "remotepassword012345678");
        if (_responder.Handle(_request, _source, _response, out _) != IceCheckResult.Nominated)
        {
            throw new InvalidOperationException("benchmark check is not accepted");
        }
    }

    [Benchmark]
    public bool ParseAndVerify() =>
        StunMessage.TryParse(_request, out var message) == StunParseError.None && message.VerifyMessageIntegrity(Key);

    [Benchmark]
    public int HandleBindingRequest()
    {
        _responder.Handle(_request, _source, _response, out var length);
        return length;
    }
}
