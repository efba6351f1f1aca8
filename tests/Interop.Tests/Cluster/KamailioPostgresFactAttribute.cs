using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>A fact that needs Kamailio and the PostgreSQL server of <c>TELEPHONY_TEST_POSTGRES</c> (scripts/test.sh sets
/// it): skipped, with the reason, when either is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KamailioPostgresFactAttribute : FactAttribute
{
    public KamailioPostgresFactAttribute()
    {
        if (KamailioProcess.Binary is null)
        {
            Skip = "kamailio is not installed (apt-get install kamailio; scripts/test.sh installs it)";
        }
        else if (TestPostgres.ConnectionString is null)
        {
            Skip = TestPostgres.SkipReason;
        }
    }
}
