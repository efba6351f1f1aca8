namespace Telephony.Cluster.Bus;

/// <summary>The outcome of a request over the bus and, when <see cref="BusReplyOutcome.Replied"/>, the final reply.</summary>
public sealed record BusReply(BusReplyOutcome Outcome, BusMessage? Message);
