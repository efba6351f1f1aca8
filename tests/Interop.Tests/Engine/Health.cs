using System.Text.Json;

namespace Telephony.Interop.Tests.Engine;

/// <summary>Reads the server's <c>GET /health</c> JSON (<c>activeCalls</c>, <c>totalCalls</c>, media stats).</summary>
internal static class Health
{
    /// <summary>Finds a numeric "calls"/"activeCalls"/"active_calls" property anywhere in the health JSON.</summary>
    public static long? ActiveCalls(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            return Find(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }

        static long? Find(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (JsonProperty p in e.EnumerateObject())
            {
                string n = p.Name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
                if (n is "CALLS" or "ACTIVECALLS" or "CURRENTCALLS" && p.Value.ValueKind == JsonValueKind.Number)
                {
                    return p.Value.GetInt64();
                }

                if (Find(p.Value) is long v)
                {
                    return v;
                }
            }

            return null;
        }
    }

    /// <summary>Polls /health until it reports no active call; fails with the last body after <paramref name="timeout"/>.</summary>
    public static async Task AssertNoCallsLeftAsync(ServerProcess server, TimeSpan? timeout = null)
    {
        DateTime end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(3));
        long? calls = null;
        string body = string.Empty;
        while (DateTime.UtcNow < end)
        {
            (_, body) = await server.GetHealthAsync();
            calls = ActiveCalls(body);
            if (calls is null or 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"server still reports {calls} active call(s): {body}\n{server.Describe()}");
    }
}
