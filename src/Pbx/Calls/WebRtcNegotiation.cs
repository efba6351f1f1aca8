using System.Globalization;
using System.Net;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Sdp;
using Telephony.Pbx.WebRtc.Dtls;
using Telephony.Pbx.WebRtc.Ice;

namespace Telephony.Pbx.Calls;

/// <summary>
/// The WebRTC half of <see cref="MediaNegotiator"/>: reads and writes the SDP of an ICE-lite, DTLS-SRTP leg
/// (RFC 8839 ICE attributes, RFC 8842 a=setup, RFC 8122 a=fingerprint, RFC 5761 a=rtcp-mux, RFC 8843 BUNDLE with one
/// audio m-line) and makes the <see cref="WebRtcTransform"/> that runs it. We are ICE-lite (session-level
/// <c>a=ice-lite</c>, RFC 8445 §6.1.1), advertise one host candidate per RTP address then <c>a=end-of-candidates</c>,
/// answer <c>a=setup:passive</c> (we are the DTLS server; offers say <c>actpass</c>) and never switch roles later.
/// </summary>
internal sealed class WebRtcNegotiation(WebRtcMediaSettings settings)
{
    private const string Fingerprint = "fingerprint";

    public DtlsCertificate Certificate { get; } = settings.Certificate ?? DtlsCertificate.Generate();

    /// <summary>The c= address and first candidate of a WebRTC leg: the public address when set.</summary>
    public IPAddress AddressFor(IPAddress local) => settings.PublicAddress ?? local;

    /// <summary>
    /// Completes <paramref name="answer"/> to a WebRTC <paramref name="offer"/> and makes or keeps the transform.
    /// Returns why the offer is refused (488), or null.
    /// </summary>
    public string? Answer(SdpDescription offer, SdpDescription answer, NegotiatedMedia negotiated, MediaSdpState state,
        IPAddress localAddress, int port, out WebRtcTransform? transform)
    {
        transform = null;
        var om = offer.Media[negotiated.MediaIndex];
        if (ReadPeer(offer, om, out var ufrag, out var password, out var fingerprints) is { } problem)
        {
            return problem;
        }

        if (!om.HasAttribute("rtcp-mux"))
        {
            return "WebRTC offer without a=rtcp-mux (required: RTP and RTCP share the ICE port, RFC 8834 §5.1.1)";
        }

        // RFC 8842 §5.2: actpass or active (or no a=setup, RFC 4145 §4: active) makes us the server; passive the client.
        var setup = Attribute(offer, om, "setup")?.Trim().ToLowerInvariant();
        var role = setup switch
        {
            null or "actpass" or "active" => DtlsRole.Server,
            "passive" => DtlsRole.Client,
            _ => (DtlsRole?)null,
        };
        if (role is null)
        {
            return $"a=setup:{setup} is not usable for DTLS-SRTP (RFC 8842 §5.2)";
        }

        if (Establish(state, ufrag!, password!, fingerprints!, role.Value, out transform) is { } refused)
        {
            return refused;
        }

        var web = state.WebRtc!;
        web.Mid = om.GetAttribute("mid");
        var am = answer.Media[negotiated.MediaIndex];
        AddMediaAttributes(am, web, role == DtlsRole.Server ? "passive" : "active", localAddress, port);
        for (var i = 0; i < offer.Media.Count; i++)
        {
            if (i != negotiated.MediaIndex && offer.Media[i].GetAttribute("mid") is { } otherMid)
            {
                answer.Media[i].Attributes.Add(new SdpAttribute("mid", otherMid)); // rejected, but named (RFC 8843 §7.3.3)
            }
        }

        answer.Attributes.Insert(0, new SdpAttribute("ice-lite"));
        var bundled = offer.Attributes.Exists(a => a.Name == "group" && a.Value is { } v
            && v.StartsWith("BUNDLE ", StringComparison.Ordinal) && web.Mid is not null
            && v.Split(' ').AsSpan(1).Contains(web.Mid));
        if (bundled)
        {
            answer.Attributes.Insert(1, new SdpAttribute("group", "BUNDLE " + web.Mid));
        }

        return null;
    }

    /// <summary>Our WebRTC offer: RFC 8834 profile, Opus first, ICE-lite, actpass, one BUNDLE'd audio m-line.</summary>
    public LocalMediaConfig Offer(LocalMediaConfig local, MediaSdpState state)
    {
        var web = state.WebRtc ??= new WebRtcMediaState();
        web.Mid ??= "0";
        var media = new SdpMedia();
        AddMediaAttributes(media, web, "actpass", local.Address, local.Port);
        return local with
        {
            Address = AddressFor(local.Address),
            OfferProtocol = RtpProfiles.UdpTlsSavpf,
            OfferSessionAttributes = [new SdpAttribute("ice-lite"), new SdpAttribute("group", "BUNDLE " + web.Mid)],
            OfferAttributes = [.. media.Attributes],
        };
    }

    /// <summary>Reads the peer's answer to our WebRTC offer and makes or keeps the transform; the problem, or null.</summary>
    public string? ProcessAnswer(SdpDescription answer, NegotiatedMedia negotiated, MediaSdpState state,
        out WebRtcTransform? transform)
    {
        transform = null;
        var am = answer.Media[negotiated.MediaIndex];
        if (ReadPeer(answer, am, out var ufrag, out var password, out var fingerprints) is { } problem)
        {
            return problem;
        }

        var setup = Attribute(answer, am, "setup")?.Trim().ToLowerInvariant();
        DtlsRole? role = setup switch
        {
            "active" => DtlsRole.Server,
            "passive" => DtlsRole.Client,
            _ => null,
        };
        return role is null
            ? $"WebRTC answer with a=setup:{setup ?? "(none)"}; an answer says active or passive (RFC 8842 §5.3)"
            : Establish(state, ufrag!, password!, fingerprints!, role.Value, out transform);
    }

    /// <summary>
    /// Keeps the running transform when the peer's certificate is the same (restarting ICE inside it when its
    /// credentials changed), or makes a new one; refuses a change of our DTLS role.
    /// </summary>
    private string? Establish(MediaSdpState state, string ufrag, string password,
        IReadOnlyList<CertificateFingerprint> fingerprints, DtlsRole role, out WebRtcTransform? transform)
    {
        var web = state.WebRtc ??= new WebRtcMediaState();
        transform = null;
        if (web.Role is { } established && established != role)
        {
            return $"the peer asks us to switch DTLS role to {role}; roles never change within a call (RFC 8842 §5.5)";
        }

        if (web.Transform is { } current && web.RemoteFingerprints.SequenceEqual(fingerprints))
        {
            if (ufrag != web.RemoteUfrag || password != web.RemotePassword)
            {
                // ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): new credentials both ways, DTLS carries on.
                web.LocalIce = IceCredentials.Generate();
                current.RestartIce(NewResponder(web.LocalIce, ufrag, password));
                web.RemoteUfrag = ufrag;
                web.RemotePassword = password;
            }

            transform = current;
            return null;
        }

        if (web.Transform is not null)
        {
            web.LocalIce = IceCredentials.Generate(); // a new association starts with fresh ICE as well
        }

        web.RemoteUfrag = ufrag;
        web.RemotePassword = password;
        web.RemoteFingerprints = fingerprints;
        web.Role = role;
        web.Transform = new WebRtcTransform(NewResponder(web.LocalIce, ufrag, password), Certificate, fingerprints,
            role, settings.Time, settings.Dtls);
        transform = web.Transform;
        return null;
    }

    private IceLiteResponder NewResponder(IceCredentials local, string ufrag, string password)
    {
        var ice = new IceLiteResponder(local, settings.Time);
        ice.SetRemoteCredentials(ufrag, password);
        return ice;
    }

    private void AddMediaAttributes(SdpMedia m, WebRtcMediaState web, string setup, IPAddress localAddress, int port)
    {
        if (web.Mid is { } mid)
        {
            m.Attributes.Add(new SdpAttribute("mid", mid));
        }

        m.Attributes.Add(new SdpAttribute("rtcp-mux"));
        m.Attributes.Add(new SdpAttribute("ice-ufrag", web.LocalIce.Ufrag));
        m.Attributes.Add(new SdpAttribute("ice-pwd", web.LocalIce.Password));
        m.Attributes.Add(new SdpAttribute(Fingerprint, Certificate.SdpFingerprint));
        m.Attributes.Add(new SdpAttribute("setup", setup));
        var addresses = new List<IPAddress> { AddressFor(localAddress) };
        if (!addresses[0].Equals(localAddress))
        {
            addresses.Add(localAddress);
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            // RFC 8445 §5.1.2.1: type preference 126 (host), local preference 65535 down, component 1.
            var priority = (126u << 24) | ((uint)(65535 - i) << 8) | 255u;
            m.Attributes.Add(new SdpAttribute("candidate", string.Create(CultureInfo.InvariantCulture,
                $"{i + 1} 1 udp {priority} {addresses[i]} {port} typ host")));
        }

        m.Attributes.Add(new SdpAttribute("end-of-candidates"));
    }

    /// <summary>The peer's ICE credentials (RFC 8839 §5.4) and certificate fingerprints (RFC 8122 §5), or why not.</summary>
    private static string? ReadPeer(SdpDescription d, SdpMedia m, out string? ufrag, out string? password,
        out IReadOnlyList<CertificateFingerprint>? fingerprints)
    {
        ufrag = Attribute(d, m, "ice-ufrag")?.Trim();
        password = Attribute(d, m, "ice-pwd")?.Trim();
        fingerprints = null;
        if (!IceCredentials.IsValidUfrag(ufrag) || !IceCredentials.IsValidPassword(password))
        {
            return "WebRTC SDP without a usable a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)";
        }

        var values = m.Attributes.Where(a => a.Name == Fingerprint).ToList();
        if (values.Count == 0)
        {
            values = d.Attributes.Where(a => a.Name == Fingerprint).ToList();
        }

        var parsed = new List<CertificateFingerprint>();
        foreach (var value in values)
        {
            if (CertificateFingerprint.TryParse(value.Value, out var fingerprint) == FingerprintParseError.None
                && fingerprint is not null)
            {
                parsed.Add(fingerprint);
            }
        }

        if (parsed.Count == 0)
        {
            return "WebRTC SDP without a usable a=fingerprint (RFC 8122 §5)";
        }

        fingerprints = parsed;
        return null;
    }

    private static string? Attribute(SdpDescription d, SdpMedia m, string name) =>
        m.GetAttribute(name) ?? d.Attributes.Find(a => a.Name == name)?.Value;
}
