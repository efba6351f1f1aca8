using Telephony.Host.Api;

namespace Telephony.Host.Tests.Api;

/// <summary>The call searches' <c>csat</c> and <c>disposition</c> filters and the record's code list.</summary>
public sealed class CallFiltersTests
{
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("", null, null)]
    [InlineData("4", 4, 4)]
    [InlineData("1-2", 1, 2)]
    [InlineData("3-3", 3, 3)]
    public void Csat_filter_is_a_score_or_a_range(string? text, int? min, int? max)
    {
        Assert.True(CallFilters.TryParseCsat(text, out var a, out var b, out var error));
        Assert.Equal((min, max), (a, b));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("2-1")]
    [InlineData("x")]
    [InlineData("1-")]
    [InlineData("-1")]
    public void A_bad_csat_filter_is_refused_with_the_rule(string text)
    {
        Assert.False(CallFilters.TryParseCsat(text, out var min, out var max, out var error));
        Assert.Null(min);
        Assert.Null(max);
        Assert.Contains("csat", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("follow-up", true)]
    [InlineData(" resolved ", true)]
    [InlineData("wrong_number", true)]
    [InlineData("a,b", false)]
    [InlineData("x'; drop", false)]
    public void Disposition_filter_is_one_code(string text, bool ok)
    {
        Assert.Equal(ok, CallFilters.TryParseDisposition(text, out var code, out var error));
        Assert.Equal(ok, error is null);
        if (ok)
        {
            Assert.Equal(text.Trim(), code);
        }
    }

    [Fact]
    public void Codes_split_the_stored_list()
    {
        Assert.Equal(["resolved", "follow-up"], CallFilters.Codes("resolved,follow-up"));
        Assert.Empty(CallFilters.Codes(null));
        Assert.Empty(CallFilters.Codes(""));
    }
}
