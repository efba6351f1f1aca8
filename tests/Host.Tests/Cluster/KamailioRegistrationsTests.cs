using Telephony.Host.Cluster;

namespace Telephony.Host.Tests.Cluster;

/// <summary>
/// loginOnRegister behind Kamailio (<see cref="KamailioRegistrations"/>): from two reads of Kamailio's location table,
/// the agents whose first binding appeared are logged in and those whose last one went are logged out; other users are
/// ignored; the table name is checked before it goes into SQL.
/// </summary>
public sealed class KamailioRegistrationsTests
{
    private static readonly string[] Agents = ["1001", "1002", "1003"];

    [Fact]
    public void New_registrations_log_agents_in_and_vanished_ones_log_them_out()
    {
        var (logins, logouts) = KamailioRegistrations.Changes(new HashSet<string>(), new HashSet<string> { "1002", "1001", "2001" }, Agents);
        Assert.Equal(["1001", "1002"], logins); // 2001 is not a queue agent
        Assert.Empty(logouts);

        (logins, logouts) = KamailioRegistrations.Changes(new HashSet<string> { "1001", "1002", "2001" }, new HashSet<string> { "1002", "1003" }, Agents);
        Assert.Equal(["1003"], logins);
        Assert.Equal(["1001"], logouts); // still registered (1002) is left alone

        (logins, logouts) = KamailioRegistrations.Changes(new HashSet<string> { "1002" }, new HashSet<string> { "1002" }, Agents);
        Assert.Empty(logins);
        Assert.Empty(logouts);
    }

    [Theory]
    [InlineData("location", true)]
    [InlineData("kamailio.location", true)]
    [InlineData("location_2", true)]
    [InlineData("location; DROP TABLE calls", false)]
    [InlineData("loc-ation", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_plain_table_names_are_accepted(string? name, bool valid) =>
        Assert.Equal(valid, KamailioRegistrations.IsValidTableName(name));
}
