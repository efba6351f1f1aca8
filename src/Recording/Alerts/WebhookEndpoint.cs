namespace Telephony.Recording.Alerts;

/// <summary>A configured webhook: outbox entries name it; deliveries go to <paramref name="Url"/> signed with <paramref name="Secret"/>.</summary>
/// <param name="Name">Name stored in the outbox (stable across restarts and URL changes).</param>
/// <param name="Url">Where to POST.</param>
/// <param name="Secret">HMAC key for <see cref="WebhookSignature"/>.</param>
public sealed record WebhookEndpoint(string Name, Uri Url, string Secret);
