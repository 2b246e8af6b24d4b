using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class EpisodeIdsTests
{
    [Theory]
    [InlineData("newsroom/2024/bb_test_10mins.mp4", "newsroom-2024-bb_test_10mins")]
    [InlineData("newsroom\\2024\\BB Test 10mins.MP4", "newsroom-2024-bb-test-10mins")]
    [InlineData("Café Talk #3 (final).mp3", "cafe-talk-3-final")]
    [InlineData("--weird--.wav", "weird")]
    [InlineData("....mp4", "episode")]
    public void FromRelativePath_MakesUrlSafeStableIds(string path, string expected)
    {
        Assert.Equal(expected, EpisodeIds.FromRelativePath(path));
        Assert.True(EpisodeIds.IsValid(expected));
    }

    [Theory]
    [InlineData("Épisode spécial.mp3", "episode-special")]
    [InlineData("Cafe\u0301 cre\u0300me.mp3", "cafe-creme")]
    [InlineData("Straße/Ærø Øresund.mp3", "strasse-aero-oresund")]
    [InlineData("Łódź Œuvre Þing Đakovo.mp3", "lodz-oeuvre-thing-dakovo")]
    [InlineData("ﬁnal ²nd ｆｕｌｌ.mp3", "final-2nd-full")]
    [InlineData("Ep 1 \"Pilot\".mp3", "ep-1-pilot")]
    public void FromRelativePath_TransliteratesLatinLettersToAscii(string path, string expected)
    {
        Assert.Equal(expected, EpisodeIds.FromRelativePath(path));
    }

    [Theory]
    [InlineData("日本語のエピソード.mp3", "日本語の別エピソード.mp3")]
    [InlineData("Выпуск 1.mp3", "Эпизод 1.mp3")]
    [InlineData("Επεισόδιο.mp3", "Σειρά.mp3")]
    public void FromRelativePath_ScriptsWithoutAsciiForm_GiveStableValidDistinctIds(string one, string other)
    {
        var id = EpisodeIds.FromRelativePath(one);

        Assert.True(EpisodeIds.IsValid(id), id);
        Assert.Equal(id, EpisodeIds.FromRelativePath(one));
        Assert.NotEqual(id, EpisodeIds.FromRelativePath(other));
    }

    [Fact]
    public void FromRelativePath_VeryLongPath_IsCutAndStaysUnique()
    {
        var a = EpisodeIds.FromRelativePath(new string('a', 300) + "/one.mp4");
        var b = EpisodeIds.FromRelativePath(new string('a', 300) + "/two.mp4");

        Assert.True(EpisodeIds.IsValid(a));
        Assert.True(a.Length <= EpisodeIds.MaxLength);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a.b")]
    [InlineData("Upper")]
    [InlineData("")]
    [InlineData("-leading")]
    [InlineData("with space")]
    public void IsValid_RefusesAnythingThatCouldBeAPath(string id)
    {
        Assert.False(EpisodeIds.IsValid(id));
    }
}
