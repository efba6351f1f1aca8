using Telephony.Pbx.Media.Codecs;

namespace Telephony.Pbx.Tests.Media.Codecs;

public sealed class OpusSdpTests
{
    [Fact]
    public void Rtpmap_is_always_opus_48000_2_per_RFC_7587_section_7()
    {
        Assert.Equal("opus/48000/2", OpusSdp.RtpMap);
        var composed = $"{OpusSdp.EncodingName}/{OpusSdp.ClockRateHz}/{OpusSdp.RtpMapChannels}";
        Assert.Equal("opus/48000/2", composed);
        Assert.Equal(OpusSdp.ClockRateHz / 50, OpusSdp.TimestampUnitsPer20Ms);
    }

    [Fact]
    public void Fmtp_asks_for_in_band_fec_and_allows_10_ms_packets()
    {
        Assert.Equal("minptime=10;useinbandfec=1", OpusSdp.Fmtp);
        Assert.Contains($"{OpusSdp.UseInbandFecParameter}=1", OpusSdp.Fmtp, StringComparison.Ordinal);
        Assert.Contains($"{OpusSdp.MinPtimeParameter}=10", OpusSdp.Fmtp, StringComparison.Ordinal);
    }

    [Fact]
    public void Telephone_events_follow_the_audio_clock()
    {
        Assert.Equal("telephone-event/48000", OpusSdp.TelephoneEvent48kRtpMap);
        Assert.Equal("telephone-event/8000", OpusSdp.TelephoneEvent8kRtpMap);
        Assert.Equal("0-15", OpusSdp.TelephoneEventFmtp);
    }
}
