using EpisodePipeline.Models;
using EpisodePipeline.Services.Media;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>Media found through a symbolic link is measured as discovery measured it: the file the link leads to.</summary>
public sealed class MediaChangedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("episodepipeline-changed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Real, Episode Episode) LinkedEpisode()
    {
        var real = Path.Combine(_folder, "talk.mp3");
        File.WriteAllBytes(real, [1, 2, 3]);
        var link = Path.Combine(_folder, "input-talk.mp3");
        File.CreateSymbolicLink(link, real);
        var info = new FileInfo(real);
        return (real, new Episode
        {
            Id = "talk",
            Title = "talk",
            MediaPath = link,
            SizeBytes = info.Length,
            ModifiedAt = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
        });
    }

    [Fact]
    public void ThrowIfChanged_LinkToTheSameFile_Passes()
    {
        var (_, episode) = LinkedEpisode();

        MediaChangedException.ThrowIfChanged(episode);
    }

    [Fact]
    public void ThrowIfChanged_FileBehindTheLinkChanged_SaysHow()
    {
        var (real, episode) = LinkedEpisode();
        File.WriteAllBytes(real, [1, 2, 3, 4, 5]);

        var e = Assert.Throws<MediaChangedException>(() => MediaChangedException.ThrowIfChanged(episode));

        Assert.Contains("size 3 → 5 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfChanged_LinkLeadsNowhere_SaysTheFileIsGone()
    {
        var (real, episode) = LinkedEpisode();
        File.Delete(real);

        var e = Assert.Throws<MediaChangedException>(() => MediaChangedException.ThrowIfChanged(episode));

        Assert.Contains("is gone", e.Message, StringComparison.Ordinal);
    }
}
