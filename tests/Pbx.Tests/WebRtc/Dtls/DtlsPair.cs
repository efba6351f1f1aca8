using System.Collections.Concurrent;
using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Tests.WebRtc.Dtls;

/// <summary>
/// A DTLS server and client wired back to back in memory (no sockets): each sender hands the datagram to the other
/// side's <see cref="DtlsAssociation.TryReceive"/>, as the media loop would. A filter can drop datagrams to
/// simulate loss; every datagram is recorded.
/// </summary>
internal sealed class DtlsPair : IDisposable
{
    public static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate();
    public static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate();

    public DtlsPair(DtlsAssociationOptions? serverOptions = null, DtlsAssociationOptions? clientOptions = null,
        CertificateFingerprint? clientFingerprintAtServer = null, CertificateFingerprint? serverFingerprintAtClient = null)
    {
        ToClient = new Link(this, toServer: false);
        ToServer = new Link(this, toServer: true);
        Server = new DtlsAssociation(DtlsRole.Server, ServerCertificate,
            [clientFingerprintAtServer ?? ClientCertificate.Fingerprint], ToClient, serverOptions);
        Client = new DtlsAssociation(DtlsRole.Client, ClientCertificate,
            [serverFingerprintAtClient ?? ServerCertificate.Fingerprint], ToServer, clientOptions);
    }

    public DtlsAssociation Server { get; }
    public DtlsAssociation Client { get; }
    public Link ToClient { get; }
    public Link ToServer { get; }

    public void Start()
    {
        Server.Start();
        Client.Start();
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    internal sealed class Link(DtlsPair pair, bool toServer) : IDtlsDatagramSender
    {
        private int _index;

        /// <summary>Datagram index (0-based, per direction) → deliver?</summary>
        public Func<int, byte[], bool> Deliver { get; set; } = (_, _) => true;

        public ConcurrentQueue<byte[]> Sent { get; } = new();

        public void Send(ReadOnlySpan<byte> datagram)
        {
            var copy = datagram.ToArray();
            Sent.Enqueue(copy);
            if (Deliver(Interlocked.Increment(ref _index) - 1, copy))
            {
                (toServer ? pair.Server : pair.Client).TryReceive(copy);
            }
        }
    }
}
