using EpisodePipeline.Services.Media;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The pure parts of extraction: filter chain per layout, the late-audio lead, durations, truncation.</summary>
public class ExtractionTimelineTests
{
    [Theory]
    [InlineData(1, "mono")]
    [InlineData(2, "stereo")]
    [InlineData(6, "5.1")]
    [InlineData(8, "7.1(wide)")]
    [InlineData(0, null)]
    public void Filter_KnownLayout_LeavesTheDownmixToFfmpeg(int channels, string? layout) =>
        Assert.Equal("aresample=16000:async=1:first_pts=0", FfmpegAudioExtractor.Filter(channels, layout));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("12 channels")]
    public void Filter_NoLayout_AveragesEveryChannelThenKeepsTheTimeline(string? layout) =>
        Assert.Equal(
            "pan=mono|c0<c0+c1+c2+c3+c4+c5+c6+c7+c8+c9+c10+c11,aresample=16000:async=1:first_pts=0",
            FfmpegAudioExtractor.Filter(12, layout));

    [Theory]
    [InlineData(4.978, 0.0, 4.978)]
    [InlineData(0.025, 0.025, 0.0)]
    [InlineData(1.5, 0.5, 1.0)]
    [InlineData(-0.021, -0.021, 0.0)]
    [InlineData(0.0, 1.0, 0.0)]
    [InlineData(null, 0.0, 0.0)]
    [InlineData(5.0, null, 5.0)]
    public void LeadSeconds_TrackStart_MeasuredFromTheContainerStart(double? stream, double? format, double expected) =>
        Assert.Equal(expected, FfmpegAudioExtractor.LeadSeconds(stream, format), 6);

    [Theory]
    [InlineData("00:00:06.000000000", 6.0)]
    [InlineData("01:02:03.500000000", 3723.5)]
    [InlineData("00:00:09.021000000", 9.021)]
    public void ParseClock_MatroskaDuration_Seconds(string value, double expected) =>
        Assert.Equal(expected, FfmpegAudioExtractor.ParseClock(value)!.Value, 6);

    [Theory]
    [InlineData(null)]
    [InlineData("6.0")]
    [InlineData("aa:bb:cc")]
    public void ParseClock_NotAClock_IsNull(string? value) => Assert.Null(FfmpegAudioExtractor.ParseClock(value));

    [Fact]
    public void TruncationWarning_HalfAnMp3_SaysBothFigures() =>
        Assert.Equal(
            "media decodes to 10.0 of 20.1 s; the file may be truncated",
            new ExtractedAudio(9.98, 0, 20.06).TruncationWarning());

    [Theory]
    [InlineData(20.05, 20.06)]   // priming and padding
    [InlineData(3.45, 2.7)]      // ADTS AAC: declared from the bit rate, decodes longer
    [InlineData(8.39, 8.38)]     // late audio: lead + track length
    [InlineData(59.0, 60.0)]     // 1 s short but under 2 %
    [InlineData(0.5, 1.2)]       // under 1 s short
    [InlineData(10.0, null)]     // nothing declared
    public void TruncationWarning_WithinTolerance_IsNull(double decoded, double? declared) =>
        Assert.Null(new ExtractedAudio(decoded, 0, declared).TruncationWarning());

    [Theory]
    [InlineData(12.5, 60.0)]
    [InlineData(180.0, 600.0)]
    [InlineData(3500.0, 3600.0)]
    public void TruncationWarning_ClearlyShort_Warns(double decoded, double declared) =>
        Assert.NotNull(new ExtractedAudio(decoded, 0, declared).TruncationWarning());
}
