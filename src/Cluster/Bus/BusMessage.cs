using System.Text.Json;

namespace Telephony.Cluster.Bus;

/// <summary>
/// One message on the cluster bus (a PostgreSQL <c>NOTIFY</c> payload, JSON, at most <see cref="BusCodec.MaxPayloadBytes"/>
/// bytes once encoded). <paramref name="Kind"/> says what it is (an event such as <c>call.started</c>, a command such as
/// <c>supervise</c>, or <see cref="BusKinds.Ack"/>/<see cref="BusKinds.Reply"/>); <paramref name="From"/> is the sending node
/// (a node ignores its own echoes); <paramref name="To"/> is the one node meant, or null for all; <paramref name="Id"/> is
/// unique per message; <paramref name="ReplyTo"/> names the request a reply answers; <paramref name="Body"/> is the payload.
/// </summary>
public sealed record BusMessage(string Kind, string From, string? To, string Id, string? ReplyTo, JsonElement? Body)
{
    /// <summary>A new message with a fresh id.</summary>
    public static BusMessage Create(string kind, string from, JsonElement? body, string? to = null) =>
        new(kind, from, to, NewId(), null, body);

    /// <summary>A reply (or an ack) to <paramref name="request"/>, sent to its sender only.</summary>
    public BusMessage ReplyWith(string kind, string from, JsonElement? body) =>
        new(kind, from, From, NewId(), Id, body);

    /// <summary>A fresh message id (a GUID, 32 hex digits).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");
}
