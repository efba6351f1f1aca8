using Telephony.Host.Ivr;
using Telephony.Host.Security;

namespace Telephony.Host.Api;

/// <summary>
/// Which voicemail mailboxes a console user may use (list, listen, mark handled): supervisors and admins every mailbox;
/// an agent its own extension's mailbox and the mailboxes of the queues it is a member of (queues.yaml in force).
/// Checked on every request.
/// </summary>
public static class MailboxAccess
{
    /// <summary>The mailboxes <paramref name="who"/> may use, or null for all.</summary>
    public static IReadOnlySet<string>? MailboxesOf(ConsoleIdentity who, CallCenter center)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(center);
        if (who.SeesAll)
        {
            return null;
        }
        var mailboxes = new HashSet<string>(StringComparer.Ordinal) { who.User };
        foreach (var queue in center.Queues?.Config.Queues ?? [])
        {
            if (queue.Members.Any(m => m.Agent == who.User))
            {
                mailboxes.Add(queue.Name);
            }
        }
        return mailboxes;
    }

    /// <summary>True when <paramref name="who"/> may use <paramref name="mailbox"/>.</summary>
    public static bool CanUse(ConsoleIdentity who, CallCenter center, string mailbox) =>
        MailboxesOf(who, center) is not { } allowed || allowed.Contains(mailbox);
}
