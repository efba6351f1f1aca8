using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.Rtp.Srtp.Crypto;

namespace Telephony.Benchmarks;

/// <summary>
/// SRTP/SRTCP protect and unprotect of one 172-byte G.711 RTP packet (12-byte header + 160 bytes = 20 ms) and one
/// 72-byte RTCP compound packet, per profile and crypto backend. Unprotect cycles through a pool of pre-protected
/// packets with increasing sequence numbers (the replay window would refuse a repeat); each call copies its packet
/// into the work buffer first, as does protect, so both include one small memcpy.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private const int Pool = 4096;
    private const int RtpLength = 172;
    private const int RtcpLength = 72;

    private readonly byte[] _work = new byte[256];
    private readonly byte[] _plainRtp = new byte[RtpLength];
    private readonly byte[] _plainRtcp = new byte[RtcpLength];
    private byte[][] _srtp = [];
    private byte[][] _srtcp = [];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private int _nextRtp;
    private int _nextRtcp;
    private long _refused;

    [Params("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AEAD_AES_128_GCM")]
    public string Profile { get; set; } = "";

    [Params("Intrinsics", "Bcl")]
    public string Backend { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        SrtpProfile.TryFromSdesName(Profile, out var profile);
        var backend = Enum.Parse<SrtpCryptoBackend>(Backend);
        var key = new byte[16];
        var salt = new byte[profile!.MasterSaltLength];
        new Random(1).NextBytes(key);
        new Random(2).NextBytes(salt);
        _sender = SrtpContext.Create(profile, SrtpDirection.Outbound, key, salt, 8, backend);
        _receiver = SrtpContext.Create(profile, SrtpDirection.Inbound, key, salt, 8, backend);
        using var poolSender = SrtpContext.Create(profile, SrtpDirection.Outbound, key, salt, 8, backend);

        _plainRtp[0] = 0x80;
        _plainRtp.AsSpan(12).Fill(0xD5);
        _plainRtp[8] = 0xCA;
        _plainRtcp[0] = 0x81;
        _plainRtcp[1] = 200;
        _plainRtcp[3] = (RtcpLength / 4) - 1;
        _plainRtcp[4] = 0xCA;
        _srtp = new byte[Pool][];
        _srtcp = new byte[Pool][];
        for (var i = 0; i < Pool; i++)
        {
            _plainRtp.CopyTo(_work, 0);
            _work[2] = (byte)(i >> 8);
            _work[3] = (byte)i;
            poolSender.ProtectRtp(_work, RtpLength, out var length);
            _srtp[i] = _work[..length];
            _plainRtcp.CopyTo(_work, 0);
            poolSender.ProtectRtcp(_work, RtcpLength, out length);
            _srtcp[i] = _work[..length];
        }

        // The pool must authenticate, or UnprotectRtp would time the refusal path.
        using var check = SrtpContext.Create(profile, SrtpDirection.Inbound, key, salt, 8, backend);
        for (var i = 0; i < Pool; i++)
        {
            _srtp[i].CopyTo(_work, 0);
            var rtp = check.UnprotectRtp(_work, _srtp[i].Length, out _);
            _srtcp[i].CopyTo(_work, 0);
            var rtcp = check.UnprotectRtcp(_work, _srtcp[i].Length, out _);
            if (rtp != SrtpResult.Ok || rtcp != SrtpResult.Ok)
            {
                throw new InvalidOperationException($"Pool packet {i}: RTP {rtp}, RTCP {rtcp}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_refused != 0)
        {
            throw new InvalidOperationException($"{_refused} packets were refused: the timings are of the wrong path.");
        }

        _sender.Dispose();
        _receiver.Dispose();
    }

    [Benchmark]
    public SrtpResult ProtectRtp()
    {
        _plainRtp.CopyTo(_work, 0);
        return Count(_sender.ProtectRtp(_work, RtpLength, out _));
    }

    [Benchmark]
    public SrtpResult UnprotectRtp()
    {
        if (_nextRtp == Pool)
        {
            // Start the pool again on a fresh stream, after its last packet was taken.
            _nextRtp = 0;
            _receiver.ResetStreams();
        }

        var packet = _srtp[_nextRtp++];

        packet.CopyTo(_work, 0);
        return Count(_receiver.UnprotectRtp(_work, packet.Length, out _));
    }

    [Benchmark]
    public SrtpResult ProtectRtcp()
    {
        _plainRtcp.CopyTo(_work, 0);
        return Count(_sender.ProtectRtcp(_work, RtcpLength, out _));
    }

    [Benchmark]
    public SrtpResult UnprotectRtcp()
    {
        if (_nextRtcp == Pool)
        {
            // Start the pool again on a fresh stream, after its last packet was taken.
            _nextRtcp = 0;
            _receiver.ResetStreams();
        }

        var packet = _srtcp[_nextRtcp++];

        packet.CopyTo(_work, 0);
        return Count(_receiver.UnprotectRtcp(_work, packet.Length, out _));
    }

    private SrtpResult Count(SrtpResult result)
    {
        if (result != SrtpResult.Ok)
        {
            _refused++;
        }

        return result;
    }
}
