namespace Telephony.Cluster.Tests;

/// <summary>A fact that needs a real PostgreSQL (<see cref="ThrowawayPostgres"/>): skipped, with the reason, when there is none.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ThrowawayPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
