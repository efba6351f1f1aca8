using System.Net;
using Telephony.Pbx.WebRtc;
using Telephony.Pbx.WebRtc.Dtls;
using Telephony.Pbx.WebRtc.Ice;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// The transport of a WebRTC leg (RFC 8834 §4, RFC 8827): one UDP port carries STUN, DTLS and SRTP, told apart by the
/// first byte (<see cref="DatagramDemux"/>, RFC 7983 §7). STUN goes to the ICE-lite responder (RFC 8445 §6.1.1), which
/// answers on the channel, and a check with USE-CANDIDATE moves the media destination to its source (RTP and RTCP
/// multiplexed there, RFC 5761); DTLS goes to the <see cref="DtlsAssociation"/> (RFC 5764), whose blocking handshake
/// runs on its own thread; once it exports the keys, SRTP/SRTCP (<see cref="SrtpTransform"/>, RFC 3711) protects and
/// unprotects on the media loop. Nothing is sent before ICE has nominated a pair and DTLS has produced keys.
/// Consent freshness (RFC 7675): without a valid check for the responder's consent timeout (30 s) the transform stops
/// sending and reports the failure, as it does when DTLS fails or the peer closes it; the session turns that into
/// <see cref="RtpSession.TransportFailed"/> and the call hangs up.
/// </summary>
/// <remarks>
/// Inbound and Outbound run on the session's media loop: no locks, 0 B per packet after setup (the STUN response
/// buffer is the transform's own), drops counted per reason. The DTLS thread only sends (<see cref="IRtpChannel.TrySend"/>
/// is thread-safe) to an immutable address published with a volatile write, and publishes the SRTP transform the same
/// way. The consent timer reads the responder's last-check time from a timer thread (one 64-bit read).
/// </remarks>
public sealed partial class WebRtcTransform : IRtpTransform
{
    /// <summary>How often consent is checked (RFC 7675 §5.1 expires it after 30 s; a second of slack is plenty).</summary>
    public static readonly TimeSpan ConsentCheckInterval = TimeSpan.FromSeconds(1);

    private static readonly int Overhead = Rtp.Srtp.SrtpProfile.All.Max(p => Math.Max(p.RtpOverhead, p.RtcpOverhead));

    private readonly DtlsAssociation _dtls;
    private readonly TimeProvider _time;
    private readonly byte[] _stunResponse = new byte[256];
    private readonly long[] _received = new long[Enum.GetValues<DatagramKind>().Length];
    private readonly long[] _dropped = new long[Enum.GetValues<MediaDropReason>().Length];
    private volatile IceLiteResponder _ice;
    private volatile IceLiteResponder? _pendingIce;
    private volatile IRtpTransformContext? _context;
    private volatile SocketAddress? _destination;
    private volatile SrtpTransform? _srtp;
    private volatile bool _stopped;
    private volatile bool _detached;
    private bool _nominated;
    private ITimer? _consentTimer;
    private int _failed;
    private long _dtlsUnsent;

    /// <summary>
    /// A transform answering checks with <paramref name="ice"/> (our credentials, the peer's already set), presenting
    /// <paramref name="certificate"/> in DTLS <paramref name="role"/> (the server for <c>a=setup:passive</c>) and
    /// accepting only a peer certificate that matches one of <paramref name="remoteFingerprints"/> (RFC 8122 §5).
    /// </summary>
    public WebRtcTransform(IceLiteResponder ice, DtlsCertificate certificate,
        IReadOnlyList<CertificateFingerprint> remoteFingerprints, DtlsRole role = DtlsRole.Server,
        TimeProvider? time = null, DtlsAssociationOptions? dtlsOptions = null)
    {
        ArgumentNullException.ThrowIfNull(ice);
        _ice = ice;
        _time = time ?? TimeProvider.System;
        _dtls = new DtlsAssociation(role, certificate, remoteFingerprints, new DtlsSender(this), dtlsOptions);
    }

    /// <summary>Our DTLS role (fixed for the life of the association: never switched on a re-offer, RFC 8842 §5.5).</summary>
    public DtlsRole Role => _dtls.Role;

    /// <summary>The ICE responder in use (the newest after <see cref="RestartIce"/> has been picked up).</summary>
    public IceLiteResponder Ice => _ice;

    /// <summary>The DTLS association (its <see cref="DtlsAssociation.Handshake"/> completes with the SRTP keys).</summary>
    public DtlsAssociation Dtls => _dtls;

    /// <summary>True once DTLS-SRTP keys are installed and SRTP flows.</summary>
    public bool IsSecure => _srtp is not null;

    /// <summary>True once a check with USE-CANDIDATE chose where media goes.</summary>
    public bool IsNominated => _nominated;

    /// <summary>Why the transport failed (consent, DTLS), or null while it is fine.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>DTLS records the association wanted to send before any ICE check told us where the peer is.</summary>
    public long DtlsDatagramsUnsent => Interlocked.Read(ref _dtlsUnsent);

    public int MaxOverheadBytes => Overhead;

    /// <summary>Datagrams received of each RFC 7983 kind (loop thread; read for tests and diagnostics).</summary>
    public long Received(DatagramKind kind) => _received[(int)kind];

    /// <summary>Datagrams this transform dropped, per reason (also counted in the loop's drop counters).</summary>
    public long Dropped(MediaDropReason reason) => _dropped[(int)reason];

    /// <summary>
    /// ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1: the peer re-offered new credentials and we answer new ones):
    /// <paramref name="ice"/> answers checks from the next datagram on; DTLS and SRTP carry on, and media keeps going
    /// to the old pair until the new responder is nominated. Any thread.
    /// </summary>
    public void RestartIce(IceLiteResponder ice)
    {
        ArgumentNullException.ThrowIfNull(ice);
        _pendingIce = ice;
    }

    public void Attach(IRtpTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _srtp?.Attach(context);
        if (_dtls.State == DtlsAssociationState.New)
        {
            _dtls.Handshake.ContinueWith(OnHandshake, this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _dtls.Closed.ContinueWith(static (t, s) => ((WebRtcTransform)s!).OnDtlsClosed(t.Result), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _dtls.Start();
        }

        _consentTimer ??= _time.CreateTimer(static s => ((WebRtcTransform)s!).CheckConsent(), this,
            ConsentCheckInterval, ConsentCheckInterval);
    }

    public MediaPacketKind Inbound(MediaSocket socket, Span<byte> datagram, ref int length, SocketAddress source)
    {
        if (_pendingIce is { } restarted)
        {
            _ice = restarted;
            _pendingIce = null;
        }

        var data = datagram[..length];
        var kind = DatagramDemux.Classify(data);
        _received[(int)kind]++;
        switch (kind)
        {
            case DatagramKind.Stun:
                return OnStun(data, source);
            case DatagramKind.Dtls:
                return _dtls.TryReceive(data) ? MediaPacketKind.Consumed : Drop(MediaDropReason.DtlsDropped);
            case DatagramKind.Rtp:
            case DatagramKind.Rtcp:
                return _srtp is { } srtp && !_stopped
                    ? srtp.Inbound(MediaSocket.Rtp, datagram, ref length, source)
                    : Drop(MediaDropReason.SrtpNotReady);
            default:
                return Drop(MediaDropReason.NotDemultiplexed);
        }
    }

    public bool Outbound(MediaPacketKind kind, Span<byte> buffer, ref int length) =>
        _nominated && !_stopped && _srtp is { } srtp && srtp.Outbound(kind, buffer, ref length);

    public void Detach()
    {
        _detached = true;
        _stopped = true;
        _consentTimer?.Dispose();
        _dtls.Dispose();
        Interlocked.Exchange(ref _srtp, null)?.Detach();
    }

    private MediaPacketKind OnStun(ReadOnlySpan<byte> data, SocketAddress source)
    {
        var ice = _ice;
        var result = ice.Handle(data, source, _stunResponse, out var responseLength);
        var context = _context!;
        if (responseLength > 0)
        {
            context.Channel.TrySend(MediaSocket.Rtp, _stunResponse.AsSpan(0, responseLength), source);
        }

        switch (result)
        {
            case IceCheckResult.Nominated:
                // Rare (once per call, again on a path change): the copies allocate.
                var nominated = Clone(ice.NominatedAddress!);
                _destination = nominated;
                context.SetRemote(nominated, null);
                _nominated = true;
                return MediaPacketKind.Consumed;
            case IceCheckResult.Answered:
                if (_destination is null)
                {
                    // A valid check before nomination: DTLS may already answer there (it passed MESSAGE-INTEGRITY).
                    _destination = Clone(source);
                }

                return MediaPacketKind.Consumed;
            default:
                return Drop(MediaDropReason.StunRejected);
        }
    }

    private MediaPacketKind Drop(MediaDropReason reason)
    {
        _dropped[(int)reason]++;
        _context?.CountDrop(reason);
        return MediaPacketKind.Dropped;
    }

    private void CheckConsent()
    {
        if (!_detached && _ice.IsConsentExpired)
        {
            Fail($"ICE consent expired: no connectivity check for {_ice.ConsentTimeout.TotalSeconds:0} s (RFC 7675)");
        }
    }

    private void Fail(string reason)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }

        FailureReason = reason;
        _stopped = true; // RFC 7675 §5.1: stop sending at once
        _consentTimer?.Dispose();
        if (!_detached)
        {
            _context?.ReportFailure(reason);
        }
    }

    private static SocketAddress Clone(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}
