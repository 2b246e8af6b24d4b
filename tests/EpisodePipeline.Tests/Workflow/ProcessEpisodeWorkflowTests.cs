using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>The real orchestrator and activities on Durable Task's in-process test host, with real FFmpeg and Whisper.</summary>
public class ProcessEpisodeWorkflowTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TestFolders _folders = new();
    private DurableTaskTestHost _host = null!;
    private GatedTranscriber _transcriber = null!;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom/clip.mp4");
        await StartHostAsync(TestModel.Path);
    }

    private async Task StartHostAsync(string modelPath, int parallel = 2)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_folders.Settings(modelPath, segmentSeconds: 10, overlapSeconds: 1, parallel: parallel)).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddSingleton<GatedTranscriber>();
                    services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
                    services.AddEpisodePipeline();
                },
            });
        _transcriber = _host.Services.GetRequiredService<GatedTranscriber>();
        await _host.Services.GetRequiredService<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
    }

    private async Task<string> StartAsync(bool force = false) =>
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ProcessEpisodeOrchestrator), new ProcessEpisodeInput("newsroom-clip", EpisodeStage.Transcribed, force, null));

    private async Task<OrchestrationMetadata> CompletionAsync(string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private async Task<PipelineStatus> StatusAsync(string id, Func<PipelineStatus, bool> until, string what) =>
        await Poll.UntilAsync(
            async () => (await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<PipelineStatus>() ?? new PipelineStatus { Phase = JobPhase.Queued, Message = "" },
            until, Timeout, what);

    [Fact]
    public async Task ProcessEpisode_SpeechClip_TranscribesSegmentsWithAbsoluteIncreasingTimestamps()
    {
        var id = await StartAsync();

        // Watch the status between segments: 30 s in slices of 10 s, two at a time.
        var seen = new List<PipelineStatus>();
        for (var done = 0; done < 3; done++)
        {
            var expected = done;
            seen.Add(await StatusAsync(id, s => s.Phase == JobPhase.Transcribing && s.SegmentsDone == expected && s.SegmentsTotal == 3, $"{expected} segments done"));
            _transcriber.Release();
        }

        var metadata = await CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(["Transcribing segment 1/3", "Transcribing segment 2/3", "Transcribing segment 3/3"], seen.Select(s => s.Message));
        Assert.Equal([10.0, 20.0, 30.0], seen.Select(s => s.Progress));
        Assert.Null(seen[0].EtaSeconds);
        Assert.NotNull(seen[1].EtaSeconds);

        var result = metadata.ReadOutputAs<ProcessEpisodeResult>()!;
        Assert.Equal((EpisodeStage.Transcribed, false), (result.Stage, result.Reused));
        Assert.Equal(30, result.Duration, 0.5);
        // One stage ran, and it took the whole job (orchestration time, so the test's waits at the gate count).
        Assert.Equal([StageTimes.Transcribe], result.StageSeconds!.Keys);
        Assert.Equal(result.JobSeconds!.Value, result.StageSeconds[StageTimes.Transcribe]);
        Assert.True(result.JobSeconds > 0, $"job_seconds {result.JobSeconds}");

        var layout = _host.Services.GetRequiredService<DataLayout>();
        var transcript = (await AtomicFile.ReadJsonAsync<Transcript>(layout.FromRelative(result.Artifacts[ArtifactKinds.Transcript])))!;
        Assert.Equal(result.Segments, transcript.Segments.Count);
        Assert.True(transcript.Segments.Count >= 3, $"only {transcript.Segments.Count} segments");
        for (var i = 0; i < transcript.Segments.Count; i++)
        {
            var s = transcript.Segments[i];
            Assert.InRange(s.Start, 0, 30.5);
            Assert.InRange(s.End, s.Start, 30.5);
            if (i > 0)
            {
                Assert.True(s.Start >= transcript.Segments[i - 1].End, $"segment {i} starts at {s.Start}, before {transcript.Segments[i - 1].End}");
            }
        }

        // Absolute times: the last slice (19 s..30 s) contributed speech late in the clip.
        Assert.True(transcript.Segments[^1].End > 20, $"transcript ends at {transcript.Segments[^1].End}");
        Assert.Equal(
            string.Join('\n', transcript.Segments.Select(s => s.Text)) + "\n",
            await File.ReadAllTextAsync(layout.FromRelative(result.Artifacts[ArtifactKinds.TranscriptText])));

        Assert.Equal(1, _host.Services.GetRequiredService<WhisperProcessTranscriber>().ModelLoads);
        var episode = await _host.Services.GetRequiredService<EpisodeCatalog>().FindAsync("newsroom-clip", CancellationToken.None);
        Assert.Equal(EpisodeStage.Transcribed, episode!.Stage);
    }

    [Fact]
    public async Task ProcessEpisode_SameMediaAndSettings_ReusesTheTranscriptUnlessForced()
    {
        _transcriber.OpenFully();
        var first = await CompletionAsync(await StartAsync());
        var called = _transcriber.Started;

        var reused = await CompletionAsync(await StartAsync());
        Assert.Equal(called, _transcriber.Started);
        Assert.True(reused.ReadOutputAs<ProcessEpisodeResult>()!.Reused);
        Assert.Contains("Reused", reused.ReadCustomStatusAs<PipelineStatus>()!.Message);
        Assert.Equal(first.ReadOutputAs<ProcessEpisodeResult>()!.Segments, reused.ReadOutputAs<ProcessEpisodeResult>()!.Segments);

        var forced = await CompletionAsync(await StartAsync(force: true));
        Assert.False(forced.ReadOutputAs<ProcessEpisodeResult>()!.Reused);
        Assert.Equal(called * 2, _transcriber.Started);
        Assert.Equal(1, _host.Services.GetRequiredService<WhisperProcessTranscriber>().ModelLoads);
    }

    [Fact]
    public async Task ProcessEpisode_MissingModel_FailsAtOnceNamingThePathAndTheFix()
    {
        await _host.DisposeAsync();
        var missing = Path.Combine(_folders.Root, "models", "nope.bin");
        await StartHostAsync(missing);

        var metadata = await CompletionAsync(await StartAsync());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        var job = JobStatusMapper.Map(metadata);
        Assert.Contains(missing, job.Error);
        Assert.Contains("models download", job.Error);
        Assert.Equal(JobPhase.Starting, job.CurrentStage);
        Assert.False(File.Exists(Path.Combine(_folders.Data, "episodes", "newsroom-clip", "audio.wav")), "no work should be done without a model");
        Assert.Equal(0, _transcriber.Started);
    }

    [Fact]
    public async Task ProcessEpisode_WorkerCrashesOnEveryAttemptOfOneSlice_JobFailsAfterThreeSayingSo_HostSurvives()
    {
        // One slice at a time, so the crash on the middle slice (9 s..21 s: 192,000 samples) takes no other slice with it.
        await _host.DisposeAsync();
        await StartHostAsync(TestModel.Path, parallel: 1);
        var whisper = _host.Services.GetRequiredService<WhisperProcessTranscriber>();
        whisper.WorkerEnvironment[EpisodePipeline.WhisperWorker.WorkerHost.CrashVariable] = "segv:192000";
        _transcriber.OpenFully();

        var metadata = await CompletionAsync(await StartAsync());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        var job = JobStatusMapper.Map(metadata);
        Assert.StartsWith("The Whisper worker crashed on segment 2/3 (9.0–21.0 s) 3 times, so the job gives up on it.", job.Error);
        Assert.Contains("exited with signal SIGSEGV (exit code 139) while transcribing a 12.0 s slice", job.Error);
        Assert.Equal(JobPhase.Transcribing, job.CurrentStage);
        Assert.Equal(1 + 3, _transcriber.Started); // slice 1 once, slice 2 three times, slice 3 never
        Assert.Equal(3, whisper.ModelLoads);          // a fresh worker for each attempt after a crash

        // This process (the host) is alive, and once the slice stops crashing the same host finishes the job.
        whisper.WorkerEnvironment.Clear();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await CompletionAsync(await StartAsync())).RuntimeStatus);
    }

    public async Task DisposeAsync()
    {
        _transcriber.OpenFully();
        await _host.DisposeAsync();
        _folders.Dispose();
    }
}
