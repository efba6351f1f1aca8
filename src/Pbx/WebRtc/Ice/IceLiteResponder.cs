using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Pbx.WebRtc.Ice;

/// <summary>
/// The ICE-lite side of one media session (RFC 8445 §2.5, §6.1.1): always controlled, never sends checks, answers
/// Binding requests (§7.3, short-term credentials RFC 8489 §9.1) and takes the source of a check carrying
/// USE-CANDIDATE as the media destination (browsers hide their host candidates behind mDNS names, so the SDP
/// candidate is never used). Valid checks from the nominated address also refresh consent (RFC 7675): without one
/// for <see cref="ConsentTimeout"/> the peer is gone.
/// </summary>
/// <remarks>
/// Runs on the media loop: <see cref="Handle(ReadOnlySpan{byte}, SocketAddress, Span{byte}, out int)"/> allocates
/// nothing after construction and <see cref="SetRemoteCredentials"/>, takes no locks and never throws on input.
/// Not thread-safe: call it from the owning loop only.
/// </remarks>
public sealed class IceLiteResponder
{
    /// <summary>RFC 7675 §5.1: consent expires 30 s after the last successful check.</summary>
    public static readonly TimeSpan DefaultConsentTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A response buffer of this size always suffices.</summary>
    public const int MaxResponseSize = 160;

    private readonly TimeProvider _time;
    private readonly byte[] _localKey;
    private readonly SocketAddress _nominated = new(AddressFamily.InterNetworkV6);
    private byte[] _expectedUsername;
    private int _matchLength;
    private long _lastValidCheck;
    private bool _isNominated;

    public IceLiteResponder(IceCredentials local, TimeProvider? time = null, TimeSpan? consentTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        Local = local;
        _time = time ?? TimeProvider.System;
        ConsentTimeout = consentTimeout ?? DefaultConsentTimeout;
        _localKey = Encoding.UTF8.GetBytes(local.Password);

        // Until the remote ufrag is known, only "localUfrag:" is checked (RFC 8445 §7.3: checks may arrive first).
        _expectedUsername = Encoding.UTF8.GetBytes(local.Ufrag + ":");
        _matchLength = -1;
        _lastValidCheck = _time.GetTimestamp();
    }

    /// <summary>Our <c>a=ice-ufrag</c> / <c>a=ice-pwd</c>.</summary>
    public IceCredentials Local { get; }

    /// <summary>The peer's ufrag from its SDP, once set.</summary>
    public string? RemoteUfrag { get; private set; }

    /// <summary>The peer's pwd from its SDP (a lite agent sends no checks, so it is only kept).</summary>
    public string? RemotePassword { get; private set; }

    public TimeSpan ConsentTimeout { get; }

    /// <summary>A USE-CANDIDATE check has been answered.</summary>
    public bool IsNominated => _isNominated;

    /// <summary>
    /// Where media goes: the source of the last nominating check, or null. The instance is reused (updated in place
    /// on re-nomination); copy it to keep it.
    /// </summary>
    public SocketAddress? NominatedAddress => _isNominated ? _nominated : null;

    /// <summary>Why the last <see cref="IceCheckResult.DroppedMalformed"/> datagram was rejected.</summary>
    public StunParseError LastParseError { get; private set; }

    /// <summary>Time since the last valid check (since construction before the first one).</summary>
    public TimeSpan TimeSinceLastValidCheck => _time.GetElapsedTime(_lastValidCheck);

    /// <summary>RFC 7675: no valid check for <see cref="ConsentTimeout"/>; stop sending and drop the leg.</summary>
    public bool IsConsentExpired => TimeSinceLastValidCheck >= ConsentTimeout;

    /// <summary>Sets the peer's <c>a=ice-ufrag</c> / <c>a=ice-pwd</c> (cold path; allocates).</summary>
    public void SetRemoteCredentials(string ufrag, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(ufrag);
        ArgumentNullException.ThrowIfNull(password);
        RemoteUfrag = ufrag;
        RemotePassword = password;
        _expectedUsername = Encoding.UTF8.GetBytes(Local.Ufrag + ":" + ufrag);
        _matchLength = _expectedUsername.Length;
    }

    /// <summary>Convenience overload for tests and cold paths (allocates a <see cref="SocketAddress"/>).</summary>
    public IceCheckResult Handle(ReadOnlySpan<byte> datagram, IPEndPoint source, Span<byte> response,
        out int responseLength)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Handle(datagram, source.Serialize(), response, out responseLength);
    }

    /// <summary>
    /// Handles one STUN datagram from <paramref name="source"/>. When <paramref name="responseLength"/> is above 0,
    /// send <c>response[..responseLength]</c> back to <paramref name="source"/>.
    /// </summary>
    public IceCheckResult Handle(ReadOnlySpan<byte> datagram, SocketAddress source, Span<byte> response,
        out int responseLength)
    {
        ArgumentNullException.ThrowIfNull(source);
        responseLength = 0;
        var error = StunMessage.TryParse(datagram, out var request);
        if (error != StunParseError.None)
        {
            LastParseError = error;
            return IceCheckResult.DroppedMalformed;
        }

        if (request.Class != StunClass.Request)
        {
            return IceCheckResult.DroppedNotRequest;
        }

        if (!request.HasFingerprint)
        {
            return IceCheckResult.DroppedNoFingerprint;
        }

        if (response.Length < MaxResponseSize)
        {
            return IceCheckResult.DroppedBufferTooSmall;
        }

        // RFC 8489 §9.1.3: no integrity or no USERNAME -> 400; unknown USERNAME or bad integrity -> 401; neither
        // response carries MESSAGE-INTEGRITY (the peer could not have a key that works).
        if (request.Method != StunMessageType.BindingMethod
            || !request.HasUsername || !(request.HasMessageIntegrity || request.HasMessageIntegritySha256))
        {
            responseLength = WriteError(request, response, StunErrorCode.BadRequest, authenticated: false);
            return IceCheckResult.RejectedBadRequest;
        }

        var sha256 = !request.HasMessageIntegrity;
        if (!UsernameMatches(request.Username)
            || !(sha256 ? request.VerifyMessageIntegritySha256(_localKey) : request.VerifyMessageIntegrity(_localKey)))
        {
            responseLength = WriteError(request, response, StunErrorCode.Unauthenticated, authenticated: false);
            return IceCheckResult.RejectedUnauthenticated;
        }

        if (request.UnknownRequiredCount > 0)
        {
            responseLength = WriteError(request, response, StunErrorCode.UnknownAttribute, authenticated: true);
            return IceCheckResult.RejectedUnknownAttribute;
        }

        // RFC 8445 §7.3.1.1: a peer that is controlled too. A lite agent cannot take the controlling role (§6.1.1),
        // so it answers 487 as if its tie-breaker were the larger one, and the full agent switches.
        if (request.HasIceControlled)
        {
            responseLength = WriteError(request, response, StunErrorCode.RoleConflict, authenticated: true);
            return IceCheckResult.RejectedRoleConflict;
        }

        var writer = new StunWriter(response, StunMessageType.BindingSuccessResponse, request.TransactionId);
        writer.TryAddXorMappedAddress(source);
        AddIntegrity(ref writer, sha256);
        writer.TryAddFingerprint();
        responseLength = writer.Length;

        var fromNominated = _isNominated && SocketAddressBytes.Equal(source, _nominated);
        if (!_isNominated || fromNominated)
        {
            _lastValidCheck = _time.GetTimestamp();
        }

        if (!request.UseCandidate || fromNominated)
        {
            return IceCheckResult.Answered;
        }

        SocketAddressBytes.Copy(source, _nominated);
        _isNominated = true;
        _lastValidCheck = _time.GetTimestamp();
        return IceCheckResult.Nominated;
    }

    private bool UsernameMatches(ReadOnlySpan<byte> username)
    {
        var expected = _expectedUsername.AsSpan();
        return _matchLength < 0
            ? username.Length > expected.Length && username.StartsWith(expected)
            : username.SequenceEqual(expected);
    }

    private int WriteError(StunMessage request, Span<byte> response, int code, bool authenticated)
    {
        var writer = new StunWriter(response, StunMessageType.BindingErrorResponse, request.TransactionId);
        writer.TryAddErrorCode(code, StunErrorCode.GetReason(code));
        if (code == StunErrorCode.UnknownAttribute)
        {
            Span<ushort> unknown = stackalloc ushort[8];
            writer.TryAddUnknownAttributes(unknown[..request.CopyUnknownRequired(unknown)]);
        }

        if (authenticated)
        {
            AddIntegrity(ref writer, sha256: !request.HasMessageIntegrity);
        }

        writer.TryAddFingerprint();
        return writer.Length;
    }

    private void AddIntegrity(ref StunWriter writer, bool sha256)
    {
        if (sha256)
        {
            writer.TryAddMessageIntegritySha256(_localKey);
        }
        else
        {
            writer.TryAddMessageIntegrity(_localKey);
        }
    }
}
