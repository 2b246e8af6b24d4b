using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>
/// Media users really have, through the real orchestrator on Durable Task's in-process host with real FFmpeg
/// and the tiny Whisper model: no audio, several tracks, any channel layout, late audio, awkward names,
/// truncated, changed and unreadable files.
/// </summary>
public class MediaWorkflowTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private readonly TestFolders _folders = new();
    private readonly CapturingLoggerProvider _logs = new();
    private DurableTaskTestHost? _host;

    private DurableTaskTestHost Host => _host ?? throw new InvalidOperationException("Call StartHostAsync first.");

    private EpisodeCatalog Catalog => Host.Services.GetRequiredService<EpisodeCatalog>();

    private CountingExtractor Extractor => Host.Services.GetRequiredService<CountingExtractor>();

    private DataLayout Layout => Host.Services.GetRequiredService<DataLayout>();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Starts the host over the media folder as it is, and runs discovery.</summary>
    private async Task StartHostAsync(string language = "en")
    {
        var settings = _folders.Settings(TestModel.Path, segmentSeconds: 10, overlapSeconds: 1, parallel: 2);
        settings["Pipeline:Whisper:Language"] = language;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
                    services.AddSingleton<FfmpegAudioExtractor>();
                    services.AddSingleton<CountingExtractor>();
                    services.AddSingleton<IAudioExtractor>(sp => sp.GetRequiredService<CountingExtractor>());
                    services.AddEpisodePipeline();
                },
            });
        await Catalog.DiscoverAsync(CancellationToken.None);
    }

    private async Task<string> EpisodeIdOfAsync(string mediaPath) =>
        (await Catalog.ListAsync(CancellationToken.None)).Single(e => e.MediaPath == mediaPath).Id;

    private async Task<OrchestrationMetadata> RunAsync(string episodeId, int? audioTrack = null, bool force = false)
    {
        var id = await Host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ProcessEpisodeOrchestrator), new ProcessEpisodeInput(episodeId, EpisodeStage.Transcribed, force, null, audioTrack));
        using var cts = new CancellationTokenSource(Timeout);
        return await Host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private static ProcessEpisodeResult Completed(OrchestrationMetadata metadata)
    {
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"job {metadata.RuntimeStatus}: {JobStatusMapper.Map(metadata).Error}");
        return metadata.ReadOutputAs<ProcessEpisodeResult>()!;
    }

    private static string Failed(OrchestrationMetadata metadata)
    {
        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        var error = JobStatusMapper.Map(metadata).Error!;
        Assert.DoesNotContain("ffmpeg version", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("configuration:", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        return error;
    }

    /// <summary>The host's log line for the failed job: level, job id, episode id, step and cause.</summary>
    private string FailureLogLine(OrchestrationMetadata metadata, string episodeId, string step)
    {
        var line = Assert.Single(_logs.Lines, l => l.Message.Contains($"Job {metadata.InstanceId} for episode {episodeId} failed while", StringComparison.Ordinal));
        Assert.True(line.Level >= LogLevel.Warning, $"logged at {line.Level}");
        Assert.Contains($"failed while {step}: ", line.Message, StringComparison.Ordinal);
        Assert.EndsWith(JobStatusMapper.Map(metadata).Error!, line.Message, StringComparison.Ordinal);
        return line.Message;
    }

    /// <summary>What ffprobe says about the made file: the first audio stream's start and length, the container's length.</summary>
    private static async Task<(double Start, double Length, double Container)> ProbedAsync(string path)
    {
        var run = await OddMedia.RunToolAsync(
            "ffprobe",
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=start_time,duration:format=duration", "-of", "json", "file:" + path],
            CancellationToken.None);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        static double Read(System.Text.Json.JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) ? double.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var stream = json.RootElement.GetProperty("streams")[0];
        return (Read(stream, "start_time"), Read(stream, "duration"), Read(json.RootElement.GetProperty("format"), "duration"));
    }

    private async Task<Transcript> TranscriptAsync(ProcessEpisodeResult result) =>
        (await AtomicFile.ReadJsonAsync<Transcript>(Layout.FromRelative(result.Artifacts[ArtifactKinds.Transcript])))!;

    private string[] TempFiles() =>
        Directory.Exists(_folders.Data)
            ? [.. Directory.EnumerateFiles(_folders.Data, "*", SearchOption.AllDirectories).Where(f => AtomicFile.IsTempFile(Path.GetFileName(f)))]
            : [];

    [Fact]
    public async Task ProcessEpisode_VideoWithoutAudio_FailsAtOnceSayingItHasNoAudioTrack()
    {
        var media = _folders.AddMedia(await OddMedia.VideoWithoutAudioAsync(), "screen/recording.mp4");
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);

        var metadata = await RunAsync(id);

        var error = Failed(metadata);
        // Discovery already knew: the job fails before any extraction, with discovery's reason.
        Assert.StartsWith("'recording.mp4' cannot be processed. It has no audio track", error, StringComparison.Ordinal);
        Assert.Equal(0, Extractor.Extractions);
        Assert.Contains("has no audio track", FailureLogLine(metadata, id, "preparing"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessEpisode_GermanDefaultAndEnglishTracks_TranscribesTheChosenTrackAndFingerprintsIt()
    {
        var media = _folders.AddMedia(await OddMedia.TwoLanguageVideoAsync(), "films/two-languages.mkv");
        await StartHostAsync(language: "en");
        var id = await EpisodeIdOfAsync(media);

        // Whisper's language is English: the English track (1, 9 s), not the German default (0, 6 s).
        var english = Completed(await RunAsync(id));
        Assert.Equal(1, english.AudioTrack);
        Assert.Equal(9, english.Duration, 0.3);
        Assert.Empty(english.Warnings);
        Assert.Equal(1, (await TranscriptAsync(english)).AudioTrack);
        Assert.Equal(1, (await Catalog.FindAsync(id, CancellationToken.None))!.AudioTrack);

        // The request names the German track: a transcript of track 1 is not one of track 0.
        var german = Completed(await RunAsync(id, audioTrack: 0));
        Assert.False(german.Reused);
        Assert.Equal(0, german.AudioTrack);
        Assert.Equal(6, german.Duration, 0.3);
        Assert.Empty(german.Warnings);
        var episode = (await Catalog.FindAsync(id, CancellationToken.None))!;
        Assert.Equal(0, episode.AudioTrack);
        Assert.Equal(6, episode.DecodedSeconds!.Value, 0.3);

        var again = Completed(await RunAsync(id, audioTrack: 0));
        Assert.True(again.Reused);
        Assert.Equal(0, again.AudioTrack);
        Assert.Equal(2, Extractor.Extractions);
    }

    [Theory]
    [InlineData("de")]
    [InlineData("auto")]
    public async Task ProcessEpisode_LanguageGermanOrAuto_TranscribesTheGermanDefaultTrack(string language)
    {
        var media = _folders.AddMedia(await OddMedia.TwoLanguageVideoAsync(), "films/two-languages.mkv");
        await StartHostAsync(language);

        var result = Completed(await RunAsync(await EpisodeIdOfAsync(media)));

        Assert.Equal(0, result.AudioTrack);
        Assert.Equal(6, result.Duration, 0.3);
    }

    [Fact]
    public async Task ProcessEpisode_AudioTrackOutOfRange_FailsAtOnceListingTheTracks()
    {
        var media = _folders.AddMedia(await OddMedia.TwoLanguageVideoAsync(), "films/two-languages.mkv");
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);

        var metadata = await RunAsync(id, audioTrack: 2);

        Assert.Equal(
            "Audio track 2 does not exist in 'two-languages.mkv'; its audio tracks are 0 (ger, default, mono), 1 (eng, mono). Ask for one of those, or leave audio_track out.",
            Failed(metadata));
        Assert.Equal(0, Extractor.Extractions);
        FailureLogLine(metadata, id, "preparing");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task ProcessEpisode_TwelveChannelsWithoutLayout_DownmixesAndTranscribes(int speechChannel)
    {
        var media = _folders.AddMedia(await OddMedia.TwelveChannelsWithoutLayoutAsync(speechChannel), "field/recorder.wav");
        await StartHostAsync();

        var result = Completed(await RunAsync(await EpisodeIdOfAsync(media)));

        Assert.Equal((await ProbedAsync(media)).Length, result.Duration, 0.05);
        Assert.Empty(result.Warnings);
        Assert.True(result.Segments > 0);
        // The speech channel survives the downmix: the WAV is not silence.
        var samples = WavFile.ReadSamples(Layout.FromRelative($"episodes/{result.EpisodeId}/audio.wav"), 0, result.Duration);
        Assert.True(samples.Max(Math.Abs) > 0.005f, $"peak {samples.Max(Math.Abs)}");
    }

    [Fact]
    public async Task ProcessEpisode_AudioFiveSecondsAfterVideo_TranscriptIsOnTheMediaTimeline()
    {
        var media = _folders.AddMedia(await OddMedia.LateAudioVideoAsync(5), "late/talk.mp4");
        await StartHostAsync();

        var result = Completed(await RunAsync(await EpisodeIdOfAsync(media)));

        // 5 s of silence, then 4 s of speech: the WAV is in media time, not 4 s starting at video time 5.
        var (start, length, _) = await ProbedAsync(media);
        Assert.InRange(start, 4.9, 5.0);
        Assert.Equal(start + length, result.Duration, 0.05);
        Assert.Empty(result.Warnings);
        var wav = Layout.FromRelative($"episodes/{result.EpisodeId}/audio.wav");
        Assert.True(WavFile.ReadSamples(wav, 0, 4.9).All(s => s == 0), "the first 4.9 s should be the silence before the audio starts");
        Assert.True(WavFile.ReadSamples(wav, 5.0, 8.0).Max(Math.Abs) > 0.05f, "speech should start at 5 s");
        var transcript = await TranscriptAsync(result);
        Assert.NotEmpty(transcript.Segments);
        Assert.All(transcript.Segments, s => Assert.InRange(s.End, 0, result.Duration + 0.01));
    }

    [Fact]
    public async Task ProcessEpisode_AwkwardFileNames_Complete()
    {
        // The extractor tests take every name in OddMedia.AwkwardNames; here the worst reach FFmpeg through the whole job.
        string[] names = ["Ep 1 \"Pilot\".mp3", "-dash.mp3", "back\\slash.mp3", "100% done %20 %s.mp3", "$HOME and $(whoami) `id`.mp3", " leading and trailing space .mp3"];
        var clip = await OddMedia.SpeechInFormatAsync(".mp3");
        var paths = names.Select(name => OddMedia.CopyAs(clip, Path.Combine(_folders.Media, "odd"), name)).ToList();
        await StartHostAsync();
        var expected = (await ProbedAsync(clip)).Length;

        var jobs = await Task.WhenAll(paths.Select(async path => (Path: path, Metadata: await RunAsync(await EpisodeIdOfAsync(path)))));

        Assert.All(jobs, job =>
        {
            Assert.True(job.Metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{Path.GetFileName(job.Path)}: {JobStatusMapper.Map(job.Metadata).Error}");
            Assert.Equal(expected, job.Metadata.ReadOutputAs<ProcessEpisodeResult>()!.Duration, 0.1); // MP3 declares its encoder padding
        });
    }

    [Fact]
    public async Task ProcessEpisode_Mp3CutInHalf_CompletesWithTruncationWarningAndBothFigures()
    {
        var media = _folders.AddMedia(await OddMedia.TruncatedMp3Async(), "cut/half.mp3");
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);

        var metadata = await RunAsync(id);

        var result = Completed(metadata);
        Assert.Equal(["media decodes to 10.0 of 20.1 s; the file may be truncated"], result.Warnings);
        Assert.Contains("warnings", metadata.ReadCustomStatusAs<PipelineStatus>()!.Message, StringComparison.Ordinal);
        var episode = (await Catalog.FindAsync(id, CancellationToken.None))!;
        Assert.Equal(20.06, episode.DurationSeconds!.Value, 0.1);
        Assert.Equal(9.98, episode.DecodedSeconds!.Value, 0.1);
        Assert.Equal(result.Warnings, (await TranscriptAsync(result)).Warnings);

        // A reuse still says so.
        var reused = Completed(await RunAsync(id));
        Assert.True(reused.Reused);
        Assert.Equal(result.Warnings, reused.Warnings);
    }

    [Fact]
    public async Task ProcessEpisode_MediaChangedSinceDiscovery_FailsAtOnceAskingForDiscovery()
    {
        var media = _folders.AddMedia(await TestMedia.SpeechAudioAsync(20), "growing/episode.mp3");
        OddMedia.TruncateInPlace(media, 0.25);
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);
        var discovered = new FileInfo(media).Length;
        File.Copy(await TestMedia.SpeechAudioAsync(20), media, overwrite: true); // the copy finishes after discovery
        var now = new FileInfo(media).Length;

        var metadata = await RunAsync(id);

        Assert.Equal(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The media file of episode '{id}' changed since discovery (size {discovered:N0} → {now:N0} bytes); run discovery again once it is complete."),
            Failed(metadata));
        Assert.Equal(0, Extractor.Extractions);
        FailureLogLine(metadata, id, "preparing");
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("replaced")]
    public async Task ProcessEpisode_MediaCutOrReplacedWhileExtracting_FailsWithoutRetryAndKeepsNoAudio(string change)
    {
        var media = _folders.AddMedia(await TestMedia.SpeechAudioAsync(20), "cut/while-reading.mp3");
        var other = await TestMedia.SpeechAudioAsync(12);
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);
        Extractor.AfterExtraction = path =>
        {
            if (change == "cut")
            {
                OddMedia.TruncateInPlace(path, 0.3);
            }
            else
            {
                OddMedia.ReplaceByRename(path, other);
            }
        };

        var metadata = await RunAsync(id);

        var error = Failed(metadata);
        Assert.StartsWith($"The media file of episode '{id}' changed while the job was reading it (size ", error, StringComparison.Ordinal);
        Assert.Equal(1, Extractor.Extractions);
        Assert.False(File.Exists(Layout.AudioPath(id)), "audio from a file that changed underneath must not stay");
        FailureLogLine(metadata, id, "extracting audio track 0");
    }

    [Fact]
    public async Task ProcessEpisode_NotMedia_FailsAtOnceWithFfmpegsReason()
    {
        var media = _folders.AddMedia(await OddMedia.NotMediaAsync(".mp3"), "notes/show-notes.mp3");
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);

        var metadata = await RunAsync(id);

        var error = Failed(metadata);
        Assert.StartsWith("'show-notes.mp3' cannot be processed. It is not a media file FFmpeg recognises", error, StringComparison.Ordinal);
        Assert.Contains("FFmpeg: ", error, StringComparison.Ordinal);
        Assert.Equal(0, Extractor.Extractions);
        FailureLogLine(metadata, id, "preparing");
    }

    [Fact]
    public async Task ProcessEpisode_RandomBytesNamedMp3_FailAtOnceAndLeaveNoFiles()
    {
        var media = _folders.AddMedia(await OddMedia.RandomBytesAsync(".mp3"), "noise/random.mp3");
        await StartHostAsync();
        var id = await EpisodeIdOfAsync(media);

        var metadata = await RunAsync(id);

        var error = Failed(metadata);
        // ffprobe alone accepts these bytes as an MP3 without channels; discovery's probe does not, so no extraction runs.
        Assert.StartsWith("'random.mp3' cannot be processed. ", error, StringComparison.Ordinal);
        Assert.Contains("FFmpeg: ", error, StringComparison.Ordinal);
        Assert.Equal(0, Extractor.Extractions);
        Assert.Empty(TempFiles());
        Assert.False(File.Exists(Layout.AudioPath(id)));
        FailureLogLine(metadata, id, "preparing");
    }

    [Fact]
    public async Task Startup_StaleTempFilesUnderTheDataFolder_AreSwept()
    {
        var folder = Path.Combine(_folders.Data, "episodes", "old");
        Directory.CreateDirectory(folder);
        var stale = Path.Combine(folder, "audio.wav.999999999.0123456789abcdef0123456789abcdef.tmp.wav");
        var empty = Path.Combine(folder, "transcript.json.999999999.0123456789abcdef0123456789abcdef.tmp");
        await File.WriteAllBytesAsync(stale, new byte[1 << 16]);
        await File.WriteAllBytesAsync(empty, []);

        await StartHostAsync();

        await Poll.UntilAsync(() => Task.FromResult(TempFiles().Length), n => n == 0, TimeSpan.FromSeconds(30), "the start-up sweep");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }
}
