namespace Telephony.Interop.Tests.Security;

/// <summary>One seeded server for the whole authorization matrix, with a token per sample role.</summary>
public sealed class MatrixServer : IAsyncLifetime
{
    private readonly Dictionary<string, string?> tokens = new(StringComparer.Ordinal);

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The bearer token of <paramref name="role"/> (<c>anonymous</c>, <c>agent</c> = 1001,
    /// <c>supervisor</c> = 2001, <c>admin</c>), null for anonymous.</summary>
    public string? Token(string role) => tokens[role];

    public async Task InitializeAsync()
    {
        string data = RepoPaths.NewTempDirectory("security-matrix");
        await SecuredServer.SeedAsync(data);
        Server = await SecuredServer.StartAsync(PortAllocator.For<AuthorizationMatrixTests>(), data, null);
        tokens["anonymous"] = null;
        tokens["agent"] = await SecuredServer.LoginAsync(Server, "1001");
        tokens["supervisor"] = await SecuredServer.LoginAsync(Server, "2001");
        tokens["admin"] = await SecuredServer.LoginAsync(Server, "admin");
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
