namespace Telephony.Pbx.Media.Transport;

/// <summary>A channel that can say, without reading, whether a socket holds a datagram (for <see cref="ScanningMediaPoller"/>).</summary>
internal interface IPendingDatagrams
{
    bool HasPending(MediaSocket socket);
}
