using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// One DTLS 1.2 association carrying DTLS-SRTP keying for a media session (RFC 6347, RFC 5764, RFC 5763): the
/// BouncyCastle handshake runs on its own thread, the media loop only hands received DTLS datagrams over with
/// <see cref="TryReceive"/> (copy into a pooled buffer, bounded queue, never blocks), records go out through the
/// session's <see cref="IDtlsDatagramSender"/>. <see cref="Handshake"/> completes with the SRTP keys for our role, or
/// faults with a <see cref="DtlsHandshakeException"/> naming the reason.
/// </summary>
/// <remarks>
/// After the handshake the thread ends; later datagrams (close_notify, alerts, a retransmitted client Finished that
/// needs our last flight again, RFC 6347 §4.2.4) are processed by a thread-pool work item that runs only while the
/// queue is non-empty. Media is SRTP, not DTLS application data: any application data is read and discarded.
/// <see cref="Closed"/> completes when the association ends for any reason. Retransmission and the handshake timer
/// are BouncyCastle's (wall clock).
/// </remarks>
public sealed partial class DtlsAssociation : IDisposable, IThreadPoolWorkItem
{
    private const int HandshakeThreadStackBytes = 512 * 1024;

    private readonly DtlsSrtpSetup _setup;
    private readonly QueuedDatagramTransport _transport;
    private readonly TaskCompletionSource<DtlsSrtpKeys> _handshake =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly TaskCompletionSource<DtlsFailureReason> _closed =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly byte[] _drainBuffer = new byte[QueuedDatagramTransport.MaxReceiveSize];
    private volatile DtlsTransport? _dtls;
    private int _state = (int)DtlsAssociationState.New;
    private int _draining;
    private volatile bool _disposing;

    public DtlsAssociation(DtlsRole role, DtlsCertificate certificate,
        IReadOnlyList<CertificateFingerprint> remoteFingerprints, IDtlsDatagramSender sender,
        DtlsAssociationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(remoteFingerprints);
        ArgumentNullException.ThrowIfNull(sender);
        options ??= new DtlsAssociationOptions();
        if (role == DtlsRole.Server && options.SrtpProfiles.Count == 0)
        {
            throw new ArgumentException("A DTLS-SRTP server needs at least one SRTP profile.", nameof(options));
        }

        Role = role;
        _setup = new DtlsSrtpSetup(role, options, certificate, [.. remoteFingerprints]);
        _transport = new QueuedDatagramTransport(sender, options.ReceiveQueueCapacity, options.MaxDatagramSize);
        _transport.Closed += OnTransportClosed;
    }

    public DtlsRole Role { get; }

    public DtlsAssociationState State => (DtlsAssociationState)Volatile.Read(ref _state);

    /// <summary>Completes with the SRTP keys, or faults with <see cref="DtlsHandshakeException"/>.</summary>
    public Task<DtlsSrtpKeys> Handshake => _handshake.Task;

    /// <summary>Completes with why the association ended (after a failed handshake too).</summary>
    public Task<DtlsFailureReason> Closed => _closed.Task;

    /// <summary>Why the handshake failed or the association ended; <see cref="DtlsFailureReason.None"/> while fine.</summary>
    public DtlsFailureReason FailureReason { get; private set; }

    /// <summary>Datagrams refused by <see cref="TryReceive"/> (queue full, closed or oversized).</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    /// <summary>The CertificateRequest the server sent us (client role), for tests.</summary>
    internal CertificateRequest? ReceivedCertificateRequest => _setup.CertificateRequest;

    private long _dropped;

    /// <summary>
    /// Starts the handshake on a dedicated background thread (blocking BouncyCastle code never runs on the caller).
    /// </summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, (int)DtlsAssociationState.Handshaking,
                (int)DtlsAssociationState.New) != (int)DtlsAssociationState.New)
        {
            throw new InvalidOperationException("The DTLS association was already started or closed.");
        }

        var thread = new Thread(RunHandshake, HandshakeThreadStackBytes)
        {
            IsBackground = true,
            Name = Role == DtlsRole.Server ? "dtls-server" : "dtls-client",
        };
        thread.Start();
    }

    /// <summary>
    /// Media loop: hands over one received DTLS datagram (first byte 20-63). Copies it; never blocks, never throws,
    /// allocates nothing once the buffer pool is warm. False when it was dropped.
    /// </summary>
    public bool TryReceive(ReadOnlySpan<byte> datagram)
    {
        if (!_transport.TryEnqueue(datagram))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        if (State == DtlsAssociationState.Connected)
        {
            ScheduleDrain();
        }

        return true;
    }

    /// <summary>Ends the association: close_notify when connected, otherwise stops the handshake thread promptly.</summary>
    public void Dispose()
    {
        _disposing = true;
        var dtls = _dtls;
        if (dtls is not null)
        {
            try
            {
                dtls.Close(); // sends close_notify, then closes our transport
            }
            catch (IOException)
            {
                // Closing anyway.
            }
        }

        _transport.Close();
        if (State is DtlsAssociationState.New)
        {
            Finish(DtlsFailureReason.LocallyClosed, "Closed before the handshake started.", null);
        }
    }

    private void RunHandshake()
    {
        var crypto = new BcTlsCrypto(new SecureRandom());
        try
        {
            var dtls = Role == DtlsRole.Server
                ? new DtlsServerProtocol().Accept(new SrtpTlsServer(crypto, _setup), _transport)
                : new DtlsClientProtocol().Connect(new SrtpTlsClient(crypto, _setup), _transport);
            _dtls = dtls;
            if (_setup.Keys is not { } keys)
            {
                throw _setup.Fail(DtlsFailureReason.ProtocolError, AlertDescription.internal_error,
                    "The handshake completed without exporting SRTP keys.");
            }

            if (Interlocked.CompareExchange(ref _state, (int)DtlsAssociationState.Connected,
                    (int)DtlsAssociationState.Handshaking) != (int)DtlsAssociationState.Handshaking || _disposing)
            {
                dtls.Close();
                Finish(DtlsFailureReason.LocallyClosed, "Closed during the handshake.", null);
                return;
            }

            _handshake.TrySetResult(keys);
            if (_transport.Count > 0)
            {
                ScheduleDrain();
            }
        }
#pragma warning disable CA1031 // the handshake thread reports every failure through the task; nothing may escape it
        catch (Exception e)
#pragma warning restore CA1031
        {
            var (reason, message, alert) = Classify(e);
            Finish(reason, message, alert, e);
        }
    }
}
