namespace Telephony.Pbx.Sdp;

/// <summary>One a= line (RFC 8866 §5.13): a property attribute (name only) or a value attribute (name:value).</summary>
/// <param name="Name">Attribute name, e.g. "rtpmap", "sendonly".</param>
/// <param name="Value">Value after the first colon, or null for a property attribute.</param>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    /// <summary>Appends the a= line with its CRLF (no name:value string).</summary>
    internal void AppendLineTo(System.Text.StringBuilder sb)
    {
        sb.Append("a=").Append(Name);
        if (Value is not null)
        {
            sb.Append(':').Append(Value);
        }

        sb.Append("\r\n");
    }

    /// <summary>The text after "a=".</summary>
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
