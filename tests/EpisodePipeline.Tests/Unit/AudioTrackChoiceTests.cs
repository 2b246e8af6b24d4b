using EpisodePipeline.Services.Media;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class AudioTrackChoiceTests
{
    // As the test kit's two-language MKV: German default first, English second.
    private static readonly AudioTrack[] GermanDefaultAndEnglish =
    [
        new(0, "ger", IsDefault: true, 1, "mono", "aac", 0),
        new(1, "eng", IsDefault: false, 1, "mono", "aac", 0),
    ];

    [Theory]
    [InlineData("en", "eng")]
    [InlineData("de", "deu")]
    [InlineData("fr", "fra")]
    [InlineData("zh", "zho")]
    [InlineData("ger", "deu")]
    [InlineData("deu", "deu")]
    [InlineData("fre", "fra")]
    [InlineData("cze", "ces")]
    [InlineData("wel", "cym")]
    [InlineData("EN", "eng")]
    [InlineData("en-US", "eng")]
    [InlineData("pt_BR", "por")]
    [InlineData("spa", "spa")]
    public void ToTerminologic_AnyCodeForm_GivesIso6392T(string code, string expected) =>
        Assert.Equal(expected, LanguageCodes.ToTerminologic(code));

    [Theory]
    [InlineData("auto")]
    [InlineData("und")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("xx")]
    public void ToTerminologic_NoLanguage_IsNull(string? code) => Assert.Null(LanguageCodes.ToTerminologic(code));

    [Theory]
    [InlineData("de", "ger")]
    [InlineData("de", "deu")]
    [InlineData("ger", "deu")]
    [InlineData("nl", "dut")]
    [InlineData("el", "gre")]
    [InlineData("en", "eng")]
    public void SameLanguage_BibliographicAndTerminologic_Match(string a, string b)
    {
        Assert.True(LanguageCodes.SameLanguage(a, b));
        Assert.True(LanguageCodes.SameLanguage(b, a));
    }

    [Theory]
    [InlineData("en", "ger")]
    [InlineData("auto", "und")]
    [InlineData("und", "und")]
    [InlineData("en", null)]
    public void SameLanguage_DifferentOrUnknown_DoesNotMatch(string? a, string? b) => Assert.False(LanguageCodes.SameLanguage(a, b));

    [Theory]
    [InlineData("en", 1)]
    [InlineData("de", 0)]
    [InlineData("auto", 0)]
    [InlineData("fr", 0)]
    public void Choose_NoRequest_LanguageThenDefaultTrack(string language, int expected) =>
        Assert.Equal(expected, AudioTrackChooser.Choose(GermanDefaultAndEnglish, null, language, "x.mkv").Index);

    [Fact]
    public void Choose_NoLanguageMatchAndNoDefault_FirstTrack()
    {
        AudioTrack[] tracks = [new(0, null, false, 2, "stereo", "aac", 0), new(1, "spa", false, 2, "stereo", "aac", 0)];
        Assert.Equal(0, AudioTrackChooser.Choose(tracks, null, "en", "x.mkv").Index);
    }

    [Fact]
    public void Choose_LanguageOnSecondOfTwoEnglishTracks_FirstMatchWins()
    {
        AudioTrack[] tracks = [new(0, "ger", true, 2, "stereo", "aac", 0), new(1, "eng", false, 2, "stereo", "aac", 0), new(2, "eng", false, 6, "5.1", "ac3", 0)];
        Assert.Equal(1, AudioTrackChooser.Choose(tracks, null, "en", "x.mkv").Index);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Choose_RequestedTrack_WinsOverLanguage(int requested) =>
        Assert.Equal(requested, AudioTrackChooser.Choose(GermanDefaultAndEnglish, requested, "en", "x.mkv").Index);

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void Choose_RequestedTrackOutOfRange_FailsListingTheTracks(int requested)
    {
        var error = Assert.Throws<ArgumentException>(() => AudioTrackChooser.Choose(GermanDefaultAndEnglish, requested, "en", "film.mkv"));
        Assert.Equal(
            $"Audio track {requested} does not exist in 'film.mkv'; its audio tracks are 0 (ger, default, mono), 1 (eng, mono). Ask for one of those, or leave audio_track out.",
            error.Message);
    }

    [Fact]
    public void Choose_NoAudioTrack_FailsSayingSo()
    {
        var error = Assert.Throws<MediaUnreadableException>(() => AudioTrackChooser.Choose([], null, "en", "screen.mp4"));
        Assert.Equal("'screen.mp4' has no audio track, so there is nothing to transcribe.", error.Message);
    }
}
