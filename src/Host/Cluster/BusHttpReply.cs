using System.Text.Json;

namespace Telephony.Host.Cluster;

/// <summary>The HTTP answer a node computed for a request forwarded over the cluster bus: the receiving node answers with it as is.</summary>
public sealed record BusHttpReply(int Status, JsonElement Body);
