namespace Telephony.Host.Security;

/// <summary>
/// Endpoint metadata giving one endpoint its own <c>Content-Security-Policy</c> (CSP Level 3, W3C) in place of the
/// console's <see cref="HttpSecurity.ContentSecurityPolicy"/>: for a page that must run an inline script allowed by a
/// per-response nonce. Asked when the response starts, after the endpoint ran (so it can read the nonce it used).
/// </summary>
public interface IContentSecurityPolicySource
{
    /// <summary>The policy for this response, or null for the default one.</summary>
    string? PolicyFor(HttpContext context);
}
