using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

/// <summary>The addressing of an INVITE out through a trunk (RFC 3261 §8.1.1.1-§8.1.1.3): Request-URI, From and To.</summary>
/// <param name="RequestUri"><c>sip:&lt;number&gt;@&lt;trunk host&gt;[:port][;transport=tcp]</c>.</param>
/// <param name="From">The caller id (no tag yet: the leg adds its own).</param>
/// <param name="To"><c>&lt;sip:&lt;number&gt;@&lt;trunk host&gt;&gt;</c>.</param>
/// <param name="Number">The number as sent, after the trunk's strip/prefix rules.</param>
public sealed record TrunkInviteAddresses(SipUri RequestUri, NameAddress From, NameAddress To, string Number);
