using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Who may see a stored call and its recordings. Supervisors and admins see every call. An agent sees a call when its
/// record names the agent as <c>agent</c>, <c>caller</c> or <c>dialed</c>, or one of its queue events names the agent
/// (rung, answered, transferred...): the calls offered to or handled by that agent. Checked on every request.
/// </summary>
public static class CallAccess
{
    /// <summary>True when <paramref name="who"/> may see <paramref name="call"/>.</summary>
    public static async Task<bool> CanSeeAsync(ConsoleIdentity who, CallRecord call, Database database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(call);
        if (who.SeesAll || call.Agent == who.User || call.Caller == who.User || call.Dialed == who.User)
        {
            return true;
        }

        return (await new QueueEventStore(database).ListByCallAsync(call.Id, cancellationToken).ConfigureAwait(false))
            .Any(e => e.Agent == who.User);
    }

    /// <summary>Null when <paramref name="who"/> may see call <paramref name="callId"/> (or it does not exist and the caller
    /// sees all); else the 403 or 404 to answer.</summary>
    public static async Task<IResult?> CheckAsync(ConsoleIdentity who, string callId, Database database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (who.SeesAll)
        {
            return null;
        }

        CallRecord? call = await new CallStore(database).GetAsync(callId, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return Results.NotFound();
        }

        return await CanSeeAsync(who, call, database, cancellationToken).ConfigureAwait(false)
            ? null
            : ApiResults.Forbidden($"call {callId} is not one of {who.User}'s calls (agents see the calls offered to or handled by them)");
    }
}
