using System.Numerics;
using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Recording.Tests.Statistics.Staffing;

/// <summary>The recurrence against two independent computations of the textbook formula
/// <c>C = (A^N/N!·N/(N−A)) / (Σ_{k&lt;N} A^k/k! + A^N/N!·N/(N−A))</c>: exact rational arithmetic (small cases) and a
/// log-space sum (up to 5000 Erlangs, where A^N/N! overflows a double by thousands of orders of magnitude).</summary>
public sealed class ErlangCCrossCheckTests
{
    /// <summary>Erlang C in log space: log(A^k/k!) accumulated term by term, then log-sum-exp.</summary>
    private static double LogSpaceErlangC(double a, int n)
    {
        var logTerms = new double[n + 1];
        double logA = Math.Log(a);
        for (var k = 1; k <= n; k++)
        {
            logTerms[k] = logTerms[k - 1] + logA - Math.Log(k);
        }

        double logLast = logTerms[n] + Math.Log(n / (n - a));
        double max = Math.Max(logLast, logTerms.Take(n).Max());
        double sum = Math.Exp(logLast - max);
        for (var k = 0; k < n; k++)
        {
            sum += Math.Exp(logTerms[k] - max);
        }

        return Math.Exp(logLast - max) / sum;
    }

    /// <summary>Erlang C exactly, for a rational traffic p/q.</summary>
    private static double ExactErlangC(int p, int q, int n)
    {
        // Multiply every term by q^n·n! to stay in integers: A^k/k! → p^k·q^(n−k)·n!/k!.
        BigInteger nFactorial = Enumerable.Range(1, n).Aggregate(BigInteger.One, (f, k) => f * k);
        BigInteger sum = BigInteger.Zero;
        BigInteger kFactorial = BigInteger.One;
        for (var k = 0; k < n; k++)
        {
            if (k > 0)
            {
                kFactorial *= k;
            }

            sum += BigInteger.Pow(p, k) * BigInteger.Pow(q, n - k) * (nFactorial / kFactorial);
        }

        // Last term: p^n · n/(n − p/q) = p^n · n·q / (n·q − p); scale the sum by (n·q − p) too.
        BigInteger last = BigInteger.Pow(p, n) * n * q;
        BigInteger denominator = (sum * ((n * q) - p)) + last;
        return Ratio(last, denominator);
    }

    private static double Ratio(BigInteger numerator, BigInteger denominator)
    {
        // 60 significant bits are plenty for a double.
        int shift = Math.Max(0, (int)denominator.GetBitLength() - 60);
        return (double)(numerator >> shift) / (double)(denominator >> shift);
    }

    [Theory]
    [InlineData(10, 1, 11)]
    [InlineData(10, 1, 14)]
    [InlineData(10, 1, 30)]
    [InlineData(5, 7, 1)]
    [InlineData(5, 7, 2)]
    [InlineData(229, 10, 28)] // 22.9 Erlangs
    [InlineData(48, 1, 55)]
    [InlineData(100, 1, 101)]
    [InlineData(100, 1, 120)]
    public void Recurrence_matches_exact_rational_arithmetic(int p, int q, int agents)
    {
        double expected = ExactErlangC(p, q, agents);
        double actual = ErlangC.ProbabilityOfWaiting(p / (double)q, agents);
        Assert.Equal(expected, actual, expected * 1e-12);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(10)]
    [InlineData(48)]
    [InlineData(333.3)]
    [InlineData(1000)]
    [InlineData(5000)]
    [InlineData(20000)]
    public void Recurrence_matches_the_log_space_sum_from_A_plus_1_to_A_plus_5_sqrt_A(double traffic)
    {
        int first = (int)Math.Floor(traffic) + 1;
        int last = first + (int)Math.Ceiling(5 * Math.Sqrt(traffic)) + 2;
        int step = traffic > 2000 ? 25 : 1; // both sides are O(N) per point
        for (int n = first; n <= last; n += step)
        {
            double expected = LogSpaceErlangC(traffic, n);
            double actual = ErlangC.ProbabilityOfWaiting(traffic, n);
            Assert.True(Math.Abs(actual - expected) <= 1e-9 * expected + 1e-300, $"A={traffic} N={n}: {actual} vs {expected}");
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(5000)]
    public void Large_traffic_staffing_is_the_first_N_that_meets_the_target(double traffic)
    {
        // A Erlangs of 180 s calls in 30 minutes, 80/20.
        StaffingResult r = StaffingCalculator.Calculate(new StaffingRequest { CallsPerInterval = traffic * 10, AhtSeconds = 180 });
        Assert.Equal(traffic, r.TrafficErlangs, 9);
        Assert.InRange(r.ServiceLevel, 0.8, 1);
        double previous = 1 - (LogSpaceErlangC(traffic, r.Agents - 1) * Math.Exp(-(r.Agents - 1 - traffic) * 20 / 180));
        Assert.True(previous < 0.8, $"N-1 = {r.Agents - 1} already gives {previous}");
        double check = 1 - (LogSpaceErlangC(traffic, r.Agents) * Math.Exp(-(r.Agents - traffic) * 20 / 180));
        Assert.Equal(check, r.ServiceLevel, 9);
        Assert.InRange(r.Agents, traffic + 1, traffic + (3 * Math.Sqrt(traffic))); // square-root staffing
    }
}
