namespace Telephony.Host.Security;

/// <summary>What <see cref="ConsoleLogin.LoginAsync"/> decided: a session and its token, invalid credentials (unknown
/// user and wrong password alike), or refused for <see cref="RetryAfter"/> by the <see cref="LoginThrottle"/>.</summary>
public sealed record LoginResult(LoginStatus Status, string? Token = null, ConsoleSession? Session = null, TimeSpan? RetryAfter = null);
