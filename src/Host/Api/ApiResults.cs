namespace Telephony.Host.Api;

/// <summary>The JSON error answers shared by the API endpoints.</summary>
public static class ApiResults
{
    /// <summary>403 with <c>{"error":"forbidden","reason":…}</c>: authenticated, but not allowed to do this.</summary>
    public static IResult Forbidden(string reason) => Results.Json(new { error = "forbidden", reason }, statusCode: StatusCodes.Status403Forbidden);
}
