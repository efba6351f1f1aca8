namespace Telephony.Pbx.Queues;

/// <summary>One row of a state transition table: allowed move and what triggers it.</summary>
public sealed record Transition<TState>(TState From, TState To, string Trigger) where TState : struct, Enum;
