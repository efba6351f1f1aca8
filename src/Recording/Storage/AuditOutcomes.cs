namespace Telephony.Recording.Storage;

/// <summary>Outcomes of an audited action.</summary>
public static class AuditOutcomes
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Denied = "denied";
}
