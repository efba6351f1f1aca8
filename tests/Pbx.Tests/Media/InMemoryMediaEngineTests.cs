namespace Telephony.Pbx.Tests.Media;

/// <summary>The engine tests over the in-memory datagram network: the same behaviour without sockets.</summary>
public sealed class InMemoryMediaEngineTests() : MediaEngineTests(inMemory: true);
