using Telephony.Host.Dispositions;

namespace Telephony.Host.Tests.Dispositions;

/// <summary>The agent's keypad code <c>*5N</c>: in a call (digit by digit, within the key timeout) and dialed in wrap-up.</summary>
public sealed class DispositionKeypadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static (bool Done, int Position) Feed(DispositionKeypad keypad, string keys, TimeSpan gap)
    {
        var at = T0;
        var position = 0;
        var done = false;
        foreach (var key in keys)
        {
            done = keypad.Feed(key, at, out position);
            at += gap;
        }
        return (done, position);
    }

    [Theory]
    [InlineData("*51", 1)]
    [InlineData("*54", 4)]
    [InlineData("*59", 9)]
    [InlineData("12*53", 3)]
    [InlineData("**52", 2)]
    public void Star_5_and_a_position_completes_a_code(string keys, int position)
    {
        Assert.Equal((true, position), Feed(new DispositionKeypad(), keys, TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData("*50")]
    [InlineData("*5#")]
    [InlineData("5*1")]
    [InlineData("*45")]
    [InlineData("*5")]
    public void Anything_else_is_no_code(string keys)
    {
        Assert.False(Feed(new DispositionKeypad(), keys, TimeSpan.FromMilliseconds(300)).Done);
    }

    [Fact]
    public void A_pause_longer_than_the_key_timeout_starts_over()
    {
        var keypad = new DispositionKeypad();
        Assert.False(Feed(keypad, "*52", DispositionKeypad.KeyTimeout + TimeSpan.FromMilliseconds(1)).Done);
        Assert.True(Feed(keypad, "*52", DispositionKeypad.KeyTimeout).Done);
    }

    [Fact]
    public void Codes_follow_one_another_on_the_same_keypad()
    {
        var keypad = new DispositionKeypad();
        Assert.Equal((true, 1), Feed(keypad, "*51", TimeSpan.FromMilliseconds(200)));
        Assert.Equal((true, 2), Feed(keypad, "*52", TimeSpan.FromMilliseconds(200)));
    }

    [Theory]
    [InlineData("*51", true, 1)]
    [InlineData("*59", true, 9)]
    [InlineData("*50", false, 0)]
    [InlineData("*5", false, 0)]
    [InlineData("*512", false, 0)]
    [InlineData("*45", false, 0)]
    public void A_dialed_feature_code(string dialed, bool isCode, int position)
    {
        Assert.Equal(isCode, DispositionKeypad.IsFeatureCode(dialed, out var p));
        Assert.Equal(position, p);
    }
}
