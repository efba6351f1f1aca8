using System.Text.Json;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// What an agent's event stream (<c>GET /api/events</c>) carries: its own <c>agent.state</c> events; every event that
/// names it as <c>agent</c> (queue events: rung, no answer, answered, transferred); a <c>call.started</c> it places or
/// receives as <c>caller</c>/<c>dialed</c>; and, from then on, every event of those calls (answer, end, recording,
/// later queue events). Never alerts (<c>alert.*</c>) nor supervision (<c>supervision.*</c>), and nothing of calls it
/// is not part of. Events before the agent was involved (the IVR part of a queue call) are not sent; the call record
/// (<c>GET /api/calls/{id}</c>) and the screen pop have them. Remembers the last <see cref="MaxCalls"/> calls.
/// </summary>
public sealed class AgentEventFilter(string agent)
{
    /// <summary>Calls remembered per stream.</summary>
    public const int MaxCalls = 1000;

    private readonly HashSet<string> _calls = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Allows(StoredEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type.StartsWith("alert.", StringComparison.Ordinal) || e.Type.StartsWith("supervision.", StringComparison.Ordinal))
        {
            return false;
        }

        (string? named, string? caller, string? dialed) = Parties(e.Payload);
        if (e.Type == EventTypes.AgentState)
        {
            return named == agent;
        }

        bool involved = named == agent || (e.Type == EventTypes.CallStarted && (caller == agent || dialed == agent));
        if (e.CallId is { } callId)
        {
            if (involved)
            {
                Remember(callId);
                return true;
            }

            return _calls.Contains(callId);
        }

        return involved;
    }

    private void Remember(string callId)
    {
        if (!_calls.Add(callId))
        {
            return;
        }

        _order.Enqueue(callId);
        if (_order.Count > MaxCalls)
        {
            _calls.Remove(_order.Dequeue());
        }
    }

    private static (string? Agent, string? Caller, string? Dialed) Parties(string payload)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            return (Text(doc.RootElement, "agent"), Text(doc.RootElement, "caller"), Text(doc.RootElement, "dialed"));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
