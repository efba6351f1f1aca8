using System.Text.RegularExpressions;
using Npgsql;
using Telephony.Host.Ivr;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Host.Cluster;

/// <summary>
/// <c>loginOnRegister</c> behind Kamailio (<c>cluster.locationTable</c> set, with <c>cluster.database</c>): Kamailio is the
/// registrar (RFC 3261 §10.3) and, with usrloc in write-through mode on the cluster database (<c>deploy/kamailio</c>,
/// <c>USRLOC_DB_URL</c>), keeps its bindings in the <c>location</c> table. Every <see cref="PollEvery"/> this node reads which
/// users have an unexpired binding there and applies the changes to its own queue scheduler as the registrar's binding
/// events do on a single server: a queue agent whose first phone registers is logged in, one whose last binding is gone
/// (unregistered, or expired and swept by Kamailio, or past its <c>expires</c>) is logged out. Each node reads the table
/// itself, so these commands are not sent on the cluster bus (<see cref="Pbx.Queues.QueueSchedulerService.PostFromPeer"/>).
/// Only changes seen are applied: an agent logged in or out by API or feature code stays so until their registration
/// changes. Off (returns at once) without the two settings.
/// </summary>
public sealed partial class KamailioRegistrations(ClusterDatabase? cluster, string? table, CallCenter center, TimeProvider time,
    ILogger<KamailioRegistrations> logger) : BackgroundService
{
    /// <summary>How often the table is read.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private HashSet<string>? _registered;

    /// <summary>True when both <c>cluster.database</c> and <c>cluster.locationTable</c> are set.</summary>
    public bool Enabled => cluster is not null && !string.IsNullOrWhiteSpace(table);

    /// <summary>A table name usable as is in SQL (optionally schema-qualified): letters, digits, underscores.</summary>
    public static bool IsValidTableName(string? name) => name is not null && TableName().IsMatch(name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        if (!IsValidTableName(table))
        {
            logger.LogError("cluster.locationTable '{Table}' is not a table name (letters, digits, underscores, optionally schema.table): " +
                "Kamailio's registrations are not followed", table);
            return;
        }
        var dataSource = cluster!.DataSource; // the node's one pool (ClusterDatabase)
        var sql = $"SELECT DISTINCT username FROM {table} WHERE expires > localtimestamp";
        logger.LogInformation("Following Kamailio's registrations in table {Table} every {Seconds} s (loginOnRegister)", table, PollEvery.TotalSeconds);
        string? lastError = null;
        using var timer = new PeriodicTimer(PollEvery, time);
        do
        {
            try
            {
                var now = new HashSet<string>(StringComparer.Ordinal);
                await using (var command = dataSource.CreateCommand(sql))
                await using (var reader = await command.ExecuteReaderAsync(stoppingToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(stoppingToken).ConfigureAwait(false))
                    {
                        now.Add(reader.GetString(0));
                    }
                }
                Apply(now);
                lastError = null;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                if (ex.Message != lastError)
                {
                    logger.LogWarning("Kamailio's registrations (table {Table}) not readable: {Reason}; retrying every {Seconds} s",
                        table, ex.Message, PollEvery.TotalSeconds);
                    lastError = ex.Message;
                }
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Applies the users registered now: logins for the new ones, logouts for those gone (agents only, with
    /// <c>loginOnRegister</c> on). The first read logs in everyone registered.</summary>
    internal void Apply(HashSet<string> now)
    {
        var before = _registered ?? [];
        _registered = now;
        if (center.Queues is not { Config.LoginOnRegister: true } queues)
        {
            return;
        }
        var (logins, logouts) = Changes(before, now, queues.Config.Agents());
        foreach (var user in logins)
        {
            logger.LogInformation("Agent {Agent} registered with Kamailio: logged in", user);
            queues.Scheduler.PostFromPeer(new AgentLoggedIn(user));
        }
        foreach (var user in logouts)
        {
            logger.LogInformation("Agent {Agent} has no registration left with Kamailio: logged out", user);
            queues.Scheduler.PostFromPeer(new AgentLoggedOut(user));
        }
    }

    /// <summary>The agents to log in (registered now, not before) and out (registered before, not now), in order;
    /// users that are not queue agents are ignored.</summary>
    internal static (List<string> Logins, List<string> Logouts) Changes(IReadOnlySet<string> before, IReadOnlySet<string> now,
        IEnumerable<string> agents)
    {
        var isAgent = agents.ToHashSet(StringComparer.Ordinal);
        return ([.. now.Where(u => !before.Contains(u) && isAgent.Contains(u)).Order(StringComparer.Ordinal)],
            [.. before.Where(u => !now.Contains(u) && isAgent.Contains(u)).Order(StringComparer.Ordinal)]);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableName();
}
