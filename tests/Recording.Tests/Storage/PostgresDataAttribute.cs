using System.Reflection;
using Telephony.Recording.Storage;
using Xunit.Sdk;

namespace Telephony.Recording.Tests.Storage;

/// <summary>The PostgreSQL row of a storage theory (<c>[Theory, InlineData(StorageProvider.Sqlite), PostgresData]</c>):
/// skipped, with the reason, when <c>TELEPHONY_TEST_POSTGRES</c> names no server.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PostgresDataAttribute : DataAttribute
{
    private readonly object[] _more;

    /// <summary>The row <c>(StorageProvider.Postgres, more...)</c>.</summary>
    public PostgresDataAttribute(params object[] more)
    {
        _more = more;
        if (TestPostgres.ConnectionString is null)
        {
            Skip = TestPostgres.SkipReason;
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProvider.Postgres, .. _more]];
}
