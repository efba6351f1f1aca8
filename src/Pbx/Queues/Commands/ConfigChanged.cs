using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues.Commands;

/// <summary>A new <c>queues.yaml</c> was loaded. Queues are matched by name; calls already in a queue keep waiting
/// under the new settings. A removed queue takes no new callers and disappears once its callers are gone.</summary>
public sealed record ConfigChanged(QueuesConfig Config) : QueueCommand;
