namespace Telephony.Pbx.Sdp;

/// <summary>Helpers over <see cref="SdpDirection"/>: attribute names and the RFC 3264 §6.1 answer mirroring.</summary>
public static class SdpDirections
{
    /// <summary>The attribute name for a direction ("sendrecv", "sendonly", "recvonly", "inactive").</summary>
    public static string ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>Parses a direction attribute name (case-sensitive per RFC 8866); false for other attributes.</summary>
    public static bool TryParse(string attributeName, out SdpDirection direction)
    {
        switch (attributeName)
        {
            case "sendrecv": direction = SdpDirection.SendRecv; return true;
            case "sendonly": direction = SdpDirection.SendOnly; return true;
            case "recvonly": direction = SdpDirection.RecvOnly; return true;
            case "inactive": direction = SdpDirection.Inactive; return true;
            default: direction = SdpDirection.SendRecv; return false;
        }
    }

    /// <summary>True when the describing side sends media in this direction.</summary>
    public static bool Sends(this SdpDirection direction) =>
        direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    /// <summary>True when the describing side receives media in this direction.</summary>
    public static bool Receives(this SdpDirection direction) =>
        direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    /// <summary>Builds a direction from send/receive flags.</summary>
    public static SdpDirection From(bool sends, bool receives) => (sends, receives) switch
    {
        (true, true) => SdpDirection.SendRecv,
        (true, false) => SdpDirection.SendOnly,
        (false, true) => SdpDirection.RecvOnly,
        _ => SdpDirection.Inactive,
    };

    /// <summary>
    /// The peer's view of a direction (RFC 3264 §6.1): sendonly becomes recvonly, recvonly becomes sendonly,
    /// sendrecv and inactive stay.
    /// </summary>
    public static SdpDirection Mirror(this SdpDirection direction) => From(direction.Receives(), direction.Sends());
}
