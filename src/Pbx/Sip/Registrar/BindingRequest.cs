namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// One Contact of a REGISTER (RFC 3261 §10.2.1): the contact URI, its expiration (Expires parameter or header;
/// zero removes the binding), q, and the RFC 5626 +sip.instance value if any.
/// </summary>
/// <param name="ContactUri">Contact URI, already normalised by the caller (compared ordinally).</param>
/// <param name="Expires">Requested lifetime; <see cref="TimeSpan.Zero"/> removes the binding.</param>
/// <param name="Q">Preference 0.0-1.0 (RFC 3261 §20.10); default 1.</param>
/// <param name="InstanceId">+sip.instance (RFC 5626 §4.1), or null.</param>
public sealed record BindingRequest(string ContactUri, TimeSpan Expires, double Q = 1.0, string? InstanceId = null);
