namespace Telephony.Pbx.Tests.Media;

/// <summary>The engine tests over real loopback UDP sockets (epoll readiness on Linux).</summary>
public sealed class UdpMediaEngineTests() : MediaEngineTests(inMemory: false);
