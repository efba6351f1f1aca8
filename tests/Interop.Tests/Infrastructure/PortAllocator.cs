using System.Collections.Concurrent;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Hands each test class its own <see cref="PortBlock"/>: base 21000 + 200 × n for the first 50 (up to 31000: below the
/// Linux ephemeral range, 32768+), then 15200 + 200 × (n − 50) for the next 29 (up to 21000), n assigned in order of
/// first request and stable for the life of the test process. Clear of the 5060/150xx ports the peer documentation
/// uses in its examples.
/// </summary>
public static class PortAllocator
{
    /// <summary>
    /// The first block's base port: 21000, or <c>TELEPHONY_TEST_PORT_BASE</c> so that two checkouts can run their
    /// interop tests on one machine at the same time without taking each other's ports.
    /// </summary>
    public static readonly int FirstBase =
        int.TryParse(Environment.GetEnvironmentVariable("TELEPHONY_TEST_PORT_BASE"), out int configured) ? configured : 21000;

    /// <summary>Blocks above <see cref="FirstBase"/>, before running into the ephemeral port range.</summary>
    public const int UpperBlocks = 50;

    /// <summary>Blocks in all: the upper ones, then 29 below <see cref="FirstBase"/> (from FirstBase − 5800).</summary>
    public const int MaxBlocks = UpperBlocks + 29;

    private static readonly ConcurrentDictionary<string, PortBlock> Blocks = new();
    private static int next = -1;

    /// <summary>The block owned by <typeparamref name="T"/> (normally the test class).</summary>
    public static PortBlock For<T>() => For(typeof(T).FullName ?? typeof(T).Name);

    /// <summary>The block owned by <paramref name="owner"/>; the same owner always gets the same block.</summary>
    public static PortBlock For(string owner) => Blocks.GetOrAdd(owner, static _ =>
    {
        int n = Interlocked.Increment(ref next);
        if (n >= MaxBlocks)
        {
            throw new InvalidOperationException($"Out of port blocks ({MaxBlocks}).");
        }

        return n < UpperBlocks
            ? new PortBlock(FirstBase + (PortBlock.Size * n))
            : new PortBlock(FirstBase - 5800 + (PortBlock.Size * (n - UpperBlocks)));
    });
}
