using EpisodePipeline.Services.Rendering;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public sealed class MediaPublisherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("episodepipeline-media-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Publish_SameFileSystem_HardLinksOnceAndRelinksWhenTheMediaChanges()
    {
        var source = Path.Combine(_folder, "episode.mp3");
        var target = Path.Combine(_folder, "site", "media.mp3");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(source, [1, 2, 3]);

        Assert.True(MediaPublisher.Publish(source, target));
        Assert.False(MediaPublisher.Publish(source, target));

        File.Delete(source);
        File.WriteAllBytes(source, [4, 5, 6, 7]);
        Assert.True(MediaPublisher.Publish(source, target));
        Assert.Equal([4, 5, 6, 7], File.ReadAllBytes(target));
        Assert.Single(Directory.EnumerateFiles(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void Publish_SourceIsASymbolicLink_PublishesTheFileItLeadsTo()
    {
        var real = Path.Combine(_folder, "episode.mp3");
        var link = Path.Combine(_folder, "input", "episode.mp3");
        var target = Path.Combine(_folder, "site", "media.mp3");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(real, [1, 2, 3]);
        File.CreateSymbolicLink(link, real);

        MediaPublisher.Publish(link, target);
        File.Delete(link);
        File.Delete(real);

        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
    }
}
