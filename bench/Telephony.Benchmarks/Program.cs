using BenchmarkDotNet.Running;

namespace Telephony.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project bench/Telephony.Benchmarks -- --filter '*' [--job short]
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
