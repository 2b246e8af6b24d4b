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

    private readonly CountingProbe _probe = new(new FfmpegProbe());

    private EpisodeCatalog NewCatalog(double settleSeconds = 0, params string[] folders)
    {
        var pipeline = new PipelineOptions { Root = _folders.Root };
        pipeline.Input.Folders.AddRange(folders);
        pipeline.Input.SettleSeconds = settleSeconds;
        pipeline.Input.ApplyDefaults();
        var options = Microsoft.Extensions.Options.Options.Create(pipeline);
        return new EpisodeCatalog(options, new DataLayout(options), _probe, TimeProvider.System, NullLogger<EpisodeCatalog>.Instance);
    }

    private string CatalogPath => Path.Combine(_folders.Data, "catalog.json");

    /// <summary>The real probe, counting the files it is asked about.</summary>
    private sealed class CountingProbe(IMediaProbe inner) : IMediaProbe
    {
        private int _probed;

        public int Probed => _probed;

        public Task<MediaInfo> ProbeAsync(string mediaPath, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _probed);
            return inner.ProbeAsync(mediaPath, cancellationToken);
        }

        public Task<IReadOnlyList<ProbeOutcome>> ProbeManyAsync(IReadOnlyList<string> mediaPaths, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _probed, mediaPaths.Count);
            return inner.ProbeManyAsync(mediaPaths, cancellationToken);
        }
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

    [Fact]
    public async Task Discover_AwkwardFileNames_AreProbedReadyWithValidDistinctIds()
    {
        var clip = await OddMedia.SpeechInFormatAsync(".mp3");
        foreach (var name in OddMedia.AwkwardNames)
        {
            OddMedia.CopyAs(clip, _folders.Media, name);
        }

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        Assert.Equal(OddMedia.AwkwardNames.Count, result.Found);
        Assert.All(result.Episodes, e => Assert.True(e.MediaStatus == MediaStatus.Ready && e.AudioTracks.Count == 1, $"{e.MediaPath}: {e.MediaStatus} {e.MediaProblem}"));
        Assert.All(result.Episodes, e => Assert.True(EpisodeIds.IsValid(e.Id), e.Id));
        Assert.Equal(result.Found, result.Episodes.Select(e => e.Id).Distinct().Count());
        Assert.Contains(result.Episodes, e => e.Id == "episode-special");
        Assert.Contains(result.Episodes, e => e.Id == "ep-1-pilot");
        Assert.Contains(result.Episodes, e => e.Id == "cafe-creme-nfd-accents");
    }

    [Fact]
    public async Task Discover_BrokenFiles_AreUnreadableWithAReasonAPersonCanActOn()
    {
        _folders.AddMedia(await OddMedia.EmptyFileAsync(".mp3"), "empty.mp3");
        _folders.AddMedia(await OddMedia.NotMediaAsync(".mp3"), "notes.mp3");
        _folders.AddMedia(await OddMedia.RandomBytesAsync(".mp3"), "noise.mp3");
        _folders.AddMedia(await OddMedia.Mp4WithoutMoovAsync(), "crashed-recording.mp4");
        _folders.AddMedia(await OddMedia.Mp4WithZeroedHeaderAsync(), "zeroed.mp4");
        _folders.AddMedia(await OddMedia.VideoWithoutAudioAsync(), "screen-recording.mp4");
        _folders.AddMedia(await OddMedia.SpeechInFormatAsync(".mp3"), "fine.mp3");

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        string Problem(string id) => result.Episodes.Single(e => e.Id == id).MediaProblem ?? "";
        Assert.Equal((7, 1, 0, 6), (result.Found, result.Ready, result.Settling, result.Unreadable));
        Assert.Equal(MediaStatus.Ready, result.Episodes.Single(e => e.Id == "fine").MediaStatus);
        Assert.StartsWith("The file is empty", Problem("empty"), StringComparison.Ordinal);
        Assert.Contains("not a media file", Problem("notes"), StringComparison.Ordinal);
        Assert.Contains("not a media file", Problem("noise"), StringComparison.Ordinal);
        Assert.Contains("damaged or incomplete", Problem("crashed-recording"), StringComparison.Ordinal);
        Assert.Contains("FFmpeg: moov atom not found", Problem("crashed-recording"), StringComparison.Ordinal);
        Assert.Contains("damaged", Problem("zeroed"), StringComparison.Ordinal);
        Assert.Contains("no audio track", Problem("screen-recording"), StringComparison.Ordinal);
        Assert.Equal(4, result.Episodes.Single(e => e.Id == "screen-recording").DurationSeconds!.Value, 0.1);
        Assert.All(result.Episodes.Where(e => e.MediaStatus == MediaStatus.Unreadable), e =>
        {
            Assert.DoesNotContain("version", e.MediaProblem, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(e.MediaPath, e.MediaProblem, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Discover_FileStillBeingCopied_IsSettlingUnprobedUntilItStopsChanging()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var target = Path.Combine(_folders.Media, "incoming.mp3");
        var catalog = NewCatalog(settleSeconds: 3);
        var copy = OddMedia.SlowCopyAsync(await TestMedia.SpeechAudioAsync(12), target, TimeSpan.FromSeconds(3), chunks: 6, timeout.Token);
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(target)), exists => exists, TimeSpan.FromSeconds(10), "the copy to start");

        var during = await catalog.DiscoverAsync(timeout.Token);

        var settling = Assert.Single(during.Episodes);
        Assert.Equal((MediaStatus.Settling, 1, 0), (settling.MediaStatus, during.Settling, _probe.Probed));
        Assert.Contains("still being copied", settling.MediaProblem, StringComparison.Ordinal);
        Assert.Contains("Pipeline:Input:SettleSeconds", settling.MediaProblem, StringComparison.Ordinal);

        await copy;
        var after = await Poll.UntilAsync(() => catalog.DiscoverAsync(timeout.Token), r => r.Ready == 1, TimeSpan.FromSeconds(30), "the copied file to settle", intervalMs: 250);

        var ready = Assert.Single(after.Episodes);
        Assert.Equal((MediaStatus.Ready, (string?)null, 1), (ready.MediaStatus, ready.MediaProblem, _probe.Probed));
        Assert.Equal(12, ready.DurationSeconds!.Value, 0.2);
        Assert.Equal(new FileInfo(target).Length, ready.SizeBytes);
    }

    [Fact]
    public async Task Discover_SymlinkLoopsFileLinksAndDanglingLinks_OneEpisodePerFileAndLinksReported()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var layout = OddMedia.MakeSymlinkLayout(_folders.Media, await OddMedia.SpeechInFormatAsync(".mp3"));
        // A second loop, as in the issue: with two, the old walker never answered.
        Directory.CreateSymbolicLink(Path.Combine(_folders.Media, "real", "up"), "../real");

        var result = await NewCatalog().DiscoverAsync(timeout.Token);

        var episode = Assert.Single(result.Episodes);
        Assert.Equal((layout.MediaFile, "real-episode", MediaStatus.Ready), (episode.MediaPath, episode.Id, episode.MediaStatus));
        var dangling = Assert.Single(result.DanglingLinks);
        Assert.Equal(layout.DanglingLink, dangling.Path);
        Assert.Equal(Path.Combine("real", "missing.mp3"), dangling.Target);
    }

    [Fact]
    public async Task Discover_LinksToFilesAndFoldersOutsideTheInput_AreFollowedOnceWithTheTargetsSizeAndTime()
    {
        var outside = Path.Combine(_folders.Root, "elsewhere");
        var target = OddMedia.CopyAs(await OddMedia.SpeechInFormatAsync(".mp3"), Path.Combine(outside, "season"), "show.mp3");
        File.SetLastWriteTimeUtc(target, new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc));
        Directory.CreateSymbolicLink(Path.Combine(_folders.Media, "season"), Path.Combine(outside, "season"));
        Directory.CreateSymbolicLink(Path.Combine(_folders.Media, "season-again"), Path.Combine(outside, "season"));
        File.CreateSymbolicLink(Path.Combine(_folders.Media, "favourite.mp3"), target);
        // A loop inside the linked folder leads back into the input folder.
        Directory.CreateSymbolicLink(Path.Combine(outside, "season", "back"), _folders.Media);

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        var episode = Assert.Single(result.Episodes);
        Assert.Equal(new FileInfo(target).Length, episode.SizeBytes);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), episode.ModifiedAt);
        Assert.Equal(MediaStatus.Ready, episode.MediaStatus);
        Assert.Empty(result.DanglingLinks);
    }

    [Fact]
    public async Task Discover_CommonFormats_AreFoundByDefaultAndOtherFilesCountedAsSkipped()
    {
        foreach (var extension in OddMedia.CommonExtensions)
        {
            _folders.AddMedia(await OddMedia.SpeechInFormatAsync(extension), $"clip-{extension.TrimStart('.')}{extension}");
        }

        File.WriteAllText(Path.Combine(_folders.Media, "notes.txt"), "show notes");
        File.WriteAllText(Path.Combine(_folders.Media, "cover.JPG"), "not really a picture");
        File.WriteAllText(Path.Combine(_folders.Media, "cover2.jpg"), "not really a picture");
        File.WriteAllText(Path.Combine(_folders.Media, "README"), "no extension");

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        Assert.Equal(OddMedia.CommonExtensions.Count, result.Found);
        Assert.All(result.Episodes, e => Assert.True(e.MediaStatus == MediaStatus.Ready, $"{e.MediaPath}: {e.MediaProblem}"));
        Assert.Equal(new Dictionary<string, int> { [".txt"] = 1, [".jpg"] = 2, ["(none)"] = 1 }, result.Skipped);
    }

    [Fact]
    public async Task Discover_ManyNewFiles_ProbesEachOnceAndAnUnchangedRescanProbesNothing()
    {
        await OddMedia.ManyShortFilesAsync(_folders.Media, 120);
        var catalog = NewCatalog();

        var first = await catalog.DiscoverAsync(CancellationToken.None);
        var again = await catalog.DiscoverAsync(CancellationToken.None);
        var afterRestart = await NewCatalog().DiscoverAsync(CancellationToken.None);

        Assert.Equal((120, 120, 120), (first.Found, first.Added, first.Ready));
        Assert.All(first.Episodes, e => Assert.Equal(1, e.DurationSeconds!.Value, 0.1));
        Assert.Equal(120, _probe.Probed);
        Assert.Equal((120, 0, 0), (again.Found, again.Added, again.Changed));
        Assert.Equal((120, 0, 0), (afterRestart.Found, afterRestart.Added, afterRestart.Changed));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Episodes), System.Text.Json.JsonSerializer.Serialize(afterRestart.Episodes));
    }

    [Fact]
    public async Task Load_DuplicateIdsAndPaths_KeepsTheSoundEntriesAndKeepsACopy()
    {
        var a = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "a.mp3");
        var b = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "b.mp3");
        var info = new FileInfo(a);
        Directory.CreateDirectory(_folders.Data);
        File.WriteAllText(CatalogPath, $$"""
            [
              {"id": "a", "title": "a", "media_path": "{{a}}", "stage": "transcribed", "media_status": "ready",
               "size_bytes": {{info.Length}}, "modified_at": "{{new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero):O}}"},
              {"id": "a", "title": "a again", "media_path": "{{b}}"},
              {"id": "b", "title": "b", "media_path": "{{a}}"},
              {"id": "c", "title": "c", "media_path": "{{b}}", "stage": "published-on-mars", "media_status": "haunted", "audio_tracks": null, "artifacts": null},
              null,
              42,
              {"id": "../etc", "title": "x", "media_path": "/etc/passwd"}
            ]
            """);

        var catalog = NewCatalog();
        var listed = await catalog.ListAsync(CancellationToken.None);
        var result = await catalog.DiscoverAsync(CancellationToken.None);

        Assert.Equal(["a", "c"], listed.Select(e => e.Id));
        Assert.Equal((2, 0), (result.Found, result.Added));
        Assert.Equal(EpisodeStage.Transcribed, result.Episodes.Single(e => e.Id == "a").Stage);
        var c = result.Episodes.Single(e => e.Id == "c");
        Assert.Equal((EpisodeStage.Discovered, MediaStatus.Ready, 1), (c.Stage, c.MediaStatus, c.AudioTracks.Count));
        Assert.Single(Directory.GetFiles(_folders.Data, "catalog.json.corrupt-*"));
    }

    [Fact]
    public async Task Load_InvalidJson_KeepsTheFileAsACopyAndDiscoveryStillAnswers()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "a.mp3");
        Directory.CreateDirectory(_folders.Data);
        const string broken = """[{"id": "a", "title": """;
        File.WriteAllText(CatalogPath, broken);

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);

        Assert.Equal((1, 1), (result.Found, result.Added));
        var copy = Assert.Single(Directory.GetFiles(_folders.Data, "catalog.json.corrupt-*"));
        Assert.Equal(broken, File.ReadAllText(copy));
        Assert.Equal(["a"], (await NewCatalog().ListAsync(CancellationToken.None)).Select(e => e.Id));
    }

    [Fact]
    public async Task Load_CatalogWithoutMediaStatus_ProbesThoseEpisodesOnceKeepingTheirStage()
    {
        var a = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "a.mp3");
        var info = new FileInfo(a);
        Directory.CreateDirectory(_folders.Data);
        File.WriteAllText(CatalogPath, $$"""
            [{"id": "a", "title": "a", "media_path": "{{a}}", "stage": "transcribed", "size_bytes": {{info.Length}},
              "modified_at": "{{new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero):O}}"}]
            """);

        var result = await NewCatalog().DiscoverAsync(CancellationToken.None);
        var again = await NewCatalog().DiscoverAsync(CancellationToken.None);

        var episode = Assert.Single(result.Episodes);
        Assert.Equal((EpisodeStage.Transcribed, MediaStatus.Ready, 1), (episode.Stage, episode.MediaStatus, episode.AudioTracks.Count));
        Assert.Equal(1, _probe.Probed);
        Assert.Equal(0, again.Changed);
        Assert.Empty(Directory.GetFiles(_folders.Data, "catalog.json.corrupt-*"));
    }

    public void Dispose() => _folders.Dispose();
}
