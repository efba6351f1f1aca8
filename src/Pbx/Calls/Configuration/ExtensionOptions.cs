namespace Telephony.Pbx.Calls.Configuration;

/// <summary>One user/extension from <c>config/extensions.yaml</c>.</summary>
public sealed class ExtensionOptions
{
    public string Number { get; set; } = "";
    public string Password { get; set; } = "";
    public string? Name { get; set; }
    /// <summary><c>agent</c>, <c>supervisor</c> or <c>user</c>.</summary>
    public string Role { get; set; } = "user";
}
