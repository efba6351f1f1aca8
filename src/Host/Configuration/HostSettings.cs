namespace Telephony.Host.Configuration;

/// <summary>HTTP and data-folder settings of the host (sections <c>http</c> and <c>data</c>).</summary>
public sealed class HostSettings
{
    public string HttpAddress { get; set; } = "0.0.0.0";
    public int HttpPort { get; set; } = 8080;
    public string DataDirectory { get; set; } = "data";
}
