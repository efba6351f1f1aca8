using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Tests.Sip.Transactions;

public class SipTimersTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Defaults_MatchRfc3261TableFour()
    {
        var t = SipTimers.Default;
        Assert.Equal(S(0.5), t.T1);
        Assert.Equal(S(4), t.T2);
        Assert.Equal(S(5), t.T4);
        Assert.Equal(S(0.5), t.A);
        Assert.Equal(S(32), t.B);
        Assert.Equal(S(32), t.D);
        Assert.Equal(S(0.5), t.E);
        Assert.Equal(S(32), t.F);
        Assert.Equal(S(0.5), t.G);
        Assert.Equal(S(32), t.H);
        Assert.Equal(S(5), t.I);
        Assert.Equal(S(32), t.J);
        Assert.Equal(S(5), t.K);
        Assert.Equal(S(32), t.L);
        Assert.Equal(S(32), t.M);
    }

    [Fact]
    public void ReliableTransport_ZeroesDIJK()
    {
        var t = SipTimers.Default;
        Assert.Equal(TimeSpan.Zero, t.TimerD(reliable: true));
        Assert.Equal(TimeSpan.Zero, t.TimerI(reliable: true));
        Assert.Equal(TimeSpan.Zero, t.TimerJ(reliable: true));
        Assert.Equal(TimeSpan.Zero, t.TimerK(reliable: true));
        Assert.Equal(S(32), t.TimerD(reliable: false));
        Assert.Equal(S(5), t.TimerK(reliable: false));
    }

    [Fact]
    public void DerivedFromT1_WhenCustomised()
    {
        var t = new SipTimers { T1 = TimeSpan.FromMilliseconds(100), T2 = S(1) };
        Assert.Equal(S(6.4), t.B);
        Assert.Equal(S(32), t.D); // at least 32 s on UDP
        Assert.Equal(S(1), t.NextCapped(S(0.8)));
        Assert.Equal(S(1.6), SipTimers.NextA(S(0.8)));
    }
}
