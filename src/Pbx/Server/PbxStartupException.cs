namespace Telephony.Pbx.Server;

/// <summary>The PBX cannot start for a reason the operator can fix (port in use, missing file); the message says how.</summary>
public sealed class PbxStartupException(string message, Exception? inner = null) : Exception(message, inner);
