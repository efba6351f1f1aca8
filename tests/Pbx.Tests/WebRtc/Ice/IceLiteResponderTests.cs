using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.WebRtc.Ice;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Pbx.Tests.WebRtc.Ice;

/// <summary>RFC 8445 §7.3 (responding to checks, lite), RFC 8489 §9.1.3 (short-term auth), RFC 7675 (consent).</summary>
public sealed class IceLiteResponderTests
{
    private static readonly IceCredentials Local = new("Lo4l", "localpassword0123456789");
    private const string RemoteUfrag = "R3mt";
    private static readonly IPEndPoint Browser = new(IPAddress.Parse("198.51.100.20"), 54321);
    private static readonly IPEndPoint OtherPath = new(IPAddress.Parse("203.0.113.9"), 40000);

    private readonly FakeTimeProvider _time = new();
    private readonly IceLiteResponder _ice;
    private readonly byte[] _request = new byte[256];
    private readonly byte[] _response = new byte[256];

    public IceLiteResponderTests()
    {
        _ice = new IceLiteResponder(Local, _time);
        _ice.SetRemoteCredentials(RemoteUfrag, "remotepassword012345678");
    }

    [Fact]
    public void Valid_check_gets_a_success_with_xor_mapped_address_integrity_and_fingerprint()
    {
        var result = Handle(Check(), Browser, out var response);
        Assert.Equal(IceCheckResult.Answered, result);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(response, out var m));
        Assert.Equal(StunMessageType.BindingSuccessResponse, m.MessageType);
        Assert.Equal(TransactionId, m.TransactionId.ToArray());
        Assert.True(m.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(Browser, mapped);
        Assert.True(m.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        Assert.True(m.HasFingerprint);
        Assert.False(_ice.IsNominated);
        Assert.Null(_ice.NominatedAddress);
    }

    [Fact]
    public void Use_candidate_nominates_the_source_address_not_an_sdp_candidate()
    {
        Assert.Equal(IceCheckResult.Answered, Handle(Check(), Browser, out _));
        Assert.Equal(IceCheckResult.Nominated, Handle(Check(useCandidate: true), Browser, out var response));
        Assert.True(StunMessage.TryParse(response, out var m) == StunParseError.None && m.Class == StunClass.SuccessResponse);
        Assert.True(_ice.IsNominated);
        Assert.Equal(Browser, Nominated());

        // Consent checks on the nominated pair keep coming with USE-CANDIDATE: answered, not re-nominated.
        Assert.Equal(IceCheckResult.Answered, Handle(Check(useCandidate: true), Browser, out _));

        // A plain check on another path does not move media; a nominating one does.
        Assert.Equal(IceCheckResult.Answered, Handle(Check(), OtherPath, out _));
        Assert.Equal(Browser, Nominated());
        Assert.Equal(IceCheckResult.Nominated, Handle(Check(useCandidate: true), OtherPath, out _));
        Assert.Equal(OtherPath, Nominated());
    }

    [Fact]
    public void Wrong_remote_ufrag_is_401_without_integrity()
    {
        Assert.Equal(IceCheckResult.RejectedUnauthenticated, Handle(Check(username: "Lo4l:XXXX"), Browser, out var r));
        AssertError(r, 401, authenticated: false);
    }

    [Fact]
    public void Wrong_local_ufrag_is_401()
    {
        Assert.Equal(IceCheckResult.RejectedUnauthenticated, Handle(Check(username: "XXXX:R3mt"), Browser, out var r));
        AssertError(r, 401, authenticated: false);
    }

    [Fact]
    public void Wrong_password_is_401()
    {
        Assert.Equal(IceCheckResult.RejectedUnauthenticated,
            Handle(Check(key: "remotepassword012345678"), Browser, out var r));
        AssertError(r, 401, authenticated: false);
        Assert.False(_ice.IsNominated);
    }

    [Fact]
    public void Missing_integrity_is_400()
    {
        Assert.Equal(IceCheckResult.RejectedBadRequest, Handle(Check(key: null), Browser, out var r));
        AssertError(r, 400, authenticated: false);
    }

    [Fact]
    public void Missing_username_is_400()
    {
        Assert.Equal(IceCheckResult.RejectedBadRequest, Handle(Check(username: ""), Browser, out var r));
        AssertError(r, 400, authenticated: false);
    }

    [Fact]
    public void Unknown_comprehension_required_attribute_is_420_listing_it()
    {
        Assert.Equal(IceCheckResult.RejectedUnknownAttribute, Handle(Check(extra: 0x7001), Browser, out var r));
        AssertError(r, 420, authenticated: true);
        StunMessage.TryParse(r, out var m);
        Assert.True(m.TryGetAttribute((ushort)StunAttributeType.UnknownAttributes, out var list));
        Assert.Equal(new byte[] { 0x70, 0x01 }, list.ToArray());
    }

    [Fact]
    public void Unknown_comprehension_optional_attribute_is_ignored() =>
        Assert.Equal(IceCheckResult.Answered, Handle(Check(extra: 0xC057), Browser, out _));

    [Fact]
    public void Peer_claiming_controlled_gets_487_and_we_stay_controlled()
    {
        Assert.Equal(IceCheckResult.RejectedRoleConflict, Handle(Check(controlled: true), Browser, out var r));
        AssertError(r, 487, authenticated: true);
    }

    [Fact]
    public void Request_without_fingerprint_is_dropped_silently()
    {
        Assert.Equal(IceCheckResult.DroppedNoFingerprint, Handle(Check(fingerprint: false), Browser, out var r));
        Assert.Empty(r);
    }

    [Fact]
    public void Indication_and_responses_are_not_answered()
    {
        Assert.Equal(IceCheckResult.DroppedNotRequest,
            Handle(Check(type: StunMessageType.BindingIndication), Browser, out var r));
        Assert.Empty(r);
        Assert.Equal(IceCheckResult.DroppedNotRequest,
            Handle(Check(type: StunMessageType.BindingSuccessResponse), Browser, out _));
    }

    [Fact]
    public void Garbage_is_dropped_with_the_parse_reason()
    {
        Assert.Equal(IceCheckResult.DroppedMalformed, Handle([0, 1, 0, 0, 1, 2, 3, 4], Browser, out var r));
        Assert.Empty(r);
        Assert.Equal(StunParseError.TooShort, _ice.LastParseError);
    }

    [Fact]
    public void Checks_before_the_remote_ufrag_is_known_match_on_the_local_half()
    {
        var ice = new IceLiteResponder(Local, _time);
        var length = Check(username: "Lo4l:anything");
        Assert.Equal(IceCheckResult.Answered, ice.Handle(_request.AsSpan(0, length), Browser, _response, out _));
        length = Check(username: "Lo4l:");
        Assert.Equal(IceCheckResult.RejectedUnauthenticated, ice.Handle(_request.AsSpan(0, length), Browser, _response, out _));
    }

    [Fact]
    public void Message_integrity_sha256_only_check_is_answered_with_sha256()
    {
        Assert.Equal(IceCheckResult.Answered, Handle(Check(sha256: true), Browser, out var r));
        StunMessage.TryParse(r, out var m);
        Assert.False(m.HasMessageIntegrity);
        Assert.True(m.VerifyMessageIntegritySha256(Encoding.UTF8.GetBytes(Local.Password)));
    }

    [Theory]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("::ffff:198.51.100.20", "198.51.100.20")] // dual-mode socket
    public void Xor_mapped_address_reflects_IPv6_and_mapped_sources(string source, string expected)
    {
        Handle(Check(), new IPEndPoint(IPAddress.Parse(source), 5000), out var r);
        StunMessage.TryParse(r, out var m);
        Assert.True(m.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(expected), 5000), mapped);
    }

    [Fact]
    public void Consent_expires_30_s_after_the_last_valid_check_from_the_nominated_address()
    {
        Assert.False(_ice.IsConsentExpired);
        _time.Advance(TimeSpan.FromSeconds(20));
        Handle(Check(useCandidate: true), Browser, out _);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_ice.IsConsentExpired);

        // Checks that fail authentication or come from another path do not refresh consent.
        Handle(Check(key: "wrong wrong wrong wrong"), Browser, out _);
        Handle(Check(), OtherPath, out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_ice.IsConsentExpired);

        Handle(Check(), Browser, out _);
        Assert.False(_ice.IsConsentExpired);
        Assert.Equal(TimeSpan.Zero, _ice.TimeSinceLastValidCheck);
    }

    [Fact]
    public void Consent_expires_when_no_check_ever_arrives()
    {
        _time.Advance(IceLiteResponder.DefaultConsentTimeout);
        Assert.True(_ice.IsConsentExpired);
    }

    [Fact]
    public void Handling_checks_allocates_nothing()
    {
        var source = Browser.Serialize();
        var plain = _request.AsSpan(0, Check()).ToArray();
        var nominating = _request.AsSpan(0, Check(useCandidate: true)).ToArray();
        var bad = _request.AsSpan(0, Check(key: "wrong wrong wrong wrong")).ToArray();
        var response = new byte[IceLiteResponder.MaxResponseSize];
        for (var i = 0; i < 10; i++)
        {
            _ice.Handle(plain, source, response, out _);
            _ice.Handle(nominating, source, response, out _);
            _ice.Handle(bad, source, response, out _);
            _ = _ice.IsConsentExpired;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ice.Handle(plain, source, response, out _);
            _ice.Handle(nominating, source, response, out _);
            _ice.Handle(bad, source, response, out _);
            _ = _ice.IsConsentExpired;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static readonly byte[] TransactionId = Convert.FromHexString("0102030405060708090a0b0c");

    /// <summary>Writes a check into <see cref="_request"/> the way a controlling browser sends it; returns its length.</summary>
    private int Check(string username = "Lo4l:R3mt", string? key = "localpassword0123456789", bool useCandidate = false,
        bool controlled = false, ushort extra = 0, bool fingerprint = true, bool sha256 = false,
        ushort type = StunMessageType.BindingRequest)
    {
        var w = new StunWriter(_request, type, TransactionId);
        if (username.Length > 0)
        {
            w.TryAddUsername(Encoding.UTF8.GetBytes(username));
        }

        w.TryAdd(0xC057, [0, 1, 0, 10]); // GOOG-NETWORK-INFO as Chrome sends it
        w.TryAddPriority(0x6E7F1EFF);
        if (controlled)
        {
            w.TryAddIceControlled(42);
        }
        else
        {
            w.TryAddIceControlling(0x1122334455667788);
        }

        if (useCandidate)
        {
            w.TryAddUseCandidate();
        }

        if (extra != 0)
        {
            w.TryAdd(extra, [9, 9, 9, 9]);
        }

        if (key is not null)
        {
            if (sha256)
            {
                w.TryAddMessageIntegritySha256(Encoding.UTF8.GetBytes(key));
            }
            else
            {
                w.TryAddMessageIntegrity(Encoding.UTF8.GetBytes(key));
            }
        }

        if (fingerprint)
        {
            w.TryAddFingerprint();
        }

        return w.Length;
    }

    private IceCheckResult Handle(int requestLength, IPEndPoint source, out byte[] response) =>
        Handle(_request.AsSpan(0, requestLength).ToArray(), source, out response);

    private IceCheckResult Handle(byte[] datagram, IPEndPoint source, out byte[] response)
    {
        var result = _ice.Handle(datagram, source, _response, out var length);
        response = _response.AsSpan(0, length).ToArray();
        return result;
    }

    private IPEndPoint Nominated() =>
        (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(_ice.NominatedAddress!);

    private static void AssertError(byte[] response, int code, bool authenticated)
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(response, out var m));
        Assert.Equal(StunMessageType.BindingErrorResponse, m.MessageType);
        Assert.Equal(TransactionId, m.TransactionId.ToArray());
        Assert.Equal(code, m.ErrorCode);
        Assert.Equal(authenticated, m.HasMessageIntegrity);
        if (authenticated)
        {
            Assert.True(m.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        }

        Assert.True(m.HasFingerprint);
    }
}
