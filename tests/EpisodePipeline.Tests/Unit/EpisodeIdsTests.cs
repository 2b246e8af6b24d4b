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
    [InlineData("Café Talk #3 (final).mp3", "caf-talk-3-final")]
    [InlineData("--weird--.wav", "weird")]
    [InlineData("....mp4", "episode")]
    public void FromRelativePath_MakesUrlSafeStableIds(string path, string expected)
    {
        Assert.Equal(expected, EpisodeIds.FromRelativePath(path));
        Assert.True(EpisodeIds.IsValid(expected));
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
