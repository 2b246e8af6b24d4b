using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class EpisodeCatalogTests : IDisposable
{
    private readonly TestFolders _folders = new();

    private EpisodeCatalog NewCatalog()
    {
        var pipeline = new PipelineOptions { Root = _folders.Root };
        pipeline.Input.ApplyDefaults();
        var options = Microsoft.Extensions.Options.Options.Create(pipeline);
        return new EpisodeCatalog(options, new DataLayout(options), new FfmpegMediaTools(), TimeProvider.System, NullLogger<EpisodeCatalog>.Instance);
    }

    [Fact]
    public async Task Discover_FindsMediaWithIdsSizesAndDurations()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "newsroom/2024/bb_test_10mins.mp3");
        File.WriteAllText(Path.Combine(_folders.Media, "notes.txt"), "not media");

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        var episode = Assert.Single(result.Episodes);
        Assert.Equal("newsroom-2024-bb_test_10mins", episode.Id);
        Assert.Equal(EpisodeStage.Discovered, episode.Stage);
        Assert.Equal(12, episode.DurationSeconds!.Value, 0.2);
        Assert.True(episode.SizeBytes > 0);
        Assert.Equal((1, 1, 0, 0), (result.Found, result.Added, result.Changed, result.Missing));
    }

    [Fact]
    public async Task Discover_Again_ChangesNothingAndSurvivesARestart()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "a.mp3");
        var first = await NewCatalog().DiscoverAsync(CancellationToken.None);

        var second = await NewCatalog().DiscoverAsync(CancellationToken.None);

        Assert.Equal((1, 0, 0), (second.Found, second.Added, second.Changed));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Episodes), System.Text.Json.JsonSerializer.Serialize(second.Episodes));
    }

    [Fact]
    public async Task Discover_NoticesChangedAndRemovedFiles()
    {
        var a = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "a.mp3");
        var b = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "b.mp3");
        var catalog = NewCatalog();
        await catalog.DiscoverAsync(CancellationToken.None);
        await catalog.UpdateAsync("a", e => e with { Stage = EpisodeStage.Transcribed }, CancellationToken.None);

        File.Copy(await TestMedia.SpeechAudioAsync(20), a, overwrite: true);
        File.Delete(b);
        var result = await catalog.DiscoverAsync(CancellationToken.None);

        var changed = result.Episodes.Single(e => e.Id == "a");
        Assert.Equal(EpisodeStage.Discovered, changed.Stage);
        Assert.Equal(20, changed.DurationSeconds!.Value, 0.2);
        Assert.True(result.Episodes.Single(e => e.Id == "b").Missing);
        Assert.Equal((1, 0, 2, 1), (result.Found, result.Added, result.Changed, result.Missing));
    }

    [Fact]
    public async Task Discover_SameNameInTwoFolders_GetsDistinctIds()
    {
        var clip = await TestMedia.SpeechAudioAsync(12);
        _folders.AddMedia(clip, "x/show.mp3");
        _folders.AddMedia(clip, "x-show.mp3");

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        Assert.Equal(2, result.Episodes.Select(e => e.Id).Distinct().Count());
        Assert.All(result.Episodes, e => Assert.True(EpisodeIds.IsValid(e.Id)));
    }

    [Fact]
    public async Task Find_PathLikeId_FindsNothing()
    {
        Assert.Null(await NewCatalog().FindAsync("../../etc/passwd", CancellationToken.None));
    }

    public void Dispose() => _folders.Dispose();
}
