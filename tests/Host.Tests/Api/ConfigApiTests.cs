using Microsoft.Extensions.Configuration;
using Telephony.Host.Api;

namespace Telephony.Host.Tests.Api;

public class ConfigApiTests
{
    [Fact]
    public void Passwords_hashes_and_secrets_are_redacted()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["sip:udpPort"] = "5060",
            ["extensions:0:number"] = "1001",
            ["extensions:0:password"] = "pass1001",
            ["extensions:0:passwordHash"] = "$argon2id$...",
            ["extensions:0:ha1"] = "3765fe9fc289dec18cffcdbf8ab21474",
            ["webhooks:0:secret"] = "s3cret",
            ["trunks:0:outbound:password"] = "",
        }).Build();

        var redacted = ConfigApi.Redacted(configuration);

        Assert.Equal("5060", redacted["sip:udpPort"]);
        Assert.Equal("1001", redacted["extensions:0:number"]);
        Assert.Equal("***", redacted["extensions:0:password"]);
        Assert.Equal("***", redacted["extensions:0:passwordHash"]);
        Assert.Equal("***", redacted["extensions:0:ha1"]);
        Assert.Equal("***", redacted["webhooks:0:secret"]);
        Assert.Equal("", redacted["trunks:0:outbound:password"]); // empty stays visibly empty
    }
}
