using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Storage;

/// <summary>A test against the PostgreSQL server of <c>TELEPHONY_TEST_POSTGRES</c>; skipped with the reason when it is not
/// set (scripts/test.sh always sets it).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.ConnectionString is null)
        {
            Skip = TestPostgres.SkipReason;
        }
    }
}
