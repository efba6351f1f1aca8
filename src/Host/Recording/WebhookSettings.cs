namespace Telephony.Host.Recording;

/// <summary>One webhook (<c>webhooks[]</c>): alerts are POSTed to <see cref="Url"/>, signed with HMAC-SHA256 of
/// <see cref="Secret"/> (header <c>X-Telephony-Signature</c>).</summary>
public sealed class WebhookSettings
{
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
}
