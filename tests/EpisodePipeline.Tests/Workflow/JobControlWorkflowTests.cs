using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>
/// Cancel, retry and purge (<see cref="JobControlApi"/>, <see cref="JobRetention"/>) against the real orchestrator on
/// Durable Task's in-process host, with real FFmpeg and Whisper behind a gate and a fake Ollama.
/// </summary>
public class JobControlWorkflowTests : IAsyncLifetime
{
    private const string Episode = "newsroom-clip";
    private const string Model = "llama3.1:8b";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TestFolders _folders = new();
    private DurableTaskTestHost _host = null!;
    private FakeOllama _ollama = null!;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom/clip.mp4");
        _ollama = await FakeOllama.StartAsync(Model);
        var settings = _folders.Settings(TestModel.Path, segmentSeconds: 10, overlapSeconds: 1, parallel: 1);
        settings["Pipeline:Ollama:Url"] = _ollama.Url;
        settings["Pipeline:Ollama:Model"] = Model;
        settings["Pipeline:Ollama:Attempts"] = "2";
        settings["Pipeline:Ollama:HttpRetries"] = "0";
        settings["Pipeline:Jobs:RetentionDays"] = "30";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddSingleton<GatedTranscriber>();
                    services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
                    services.AddSingleton<FfmpegAudioExtractor>();
                    services.AddSingleton<CountingExtractor>();
                    services.AddSingleton<IAudioExtractor>(sp => sp.GetRequiredService<CountingExtractor>());
                    services.AddEpisodePipeline();
                },
            });
        await Get<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
    }

    private T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    private DurableTaskClient Client => _host.Client;

    private GatedTranscriber Transcriber => Get<GatedTranscriber>();

    private DataLayout Layout => Get<DataLayout>();

    /// <summary>Starts a job the way a submit does (one active job per episode).</summary>
    private async Task<string> SubmitAsync(EpisodeStage target, bool force = false) =>
        (await Get<EpisodeJobs>().StartOrJoinAsync(Client, new ProcessEpisodeInput(Episode, target, force, null), CancellationToken.None)).JobId;

    /// <summary>A job that fails at its first step: its episode is not in the catalog.</summary>
    private async Task<string> FailingJobAsync()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProcessEpisodeOrchestrator), new ProcessEpisodeInput("not-in-the-catalog", EpisodeStage.Transcribed, false, null));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await CompletionAsync(id)).RuntimeStatus);
        return id;
    }

    private async Task<OrchestrationMetadata> CompletionAsync(string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private async Task<JobResponse> JobAsync(string id) => JobStatusMapper.Map((await Client.GetInstanceAsync(id, getInputsAndOutputs: true))!);

    private Task<Results<Accepted<JobResponse>, ProblemHttpResult>> CancelAsync(string id) =>
        JobControlApi.CancelAsync(id, Client, Get<EpisodeCatalog>(), ApiLinks.Relative, NullLoggerFactory.Instance, CancellationToken.None);

    private Task<Results<Accepted<SubmitResponse>, ProblemHttpResult>> RetryAsync(string id) =>
        JobControlApi.RetryAsync(id, new DefaultHttpContext().Response, Get<EpisodeCatalog>(), Get<EpisodeJobs>(), Client, ApiLinks.Relative,
            Get<IOptions<PipelineOptions>>(), NullLoggerFactory.Instance, CancellationToken.None);

    private static void AssertProblem(int status, IResult result) =>
        Assert.Equal(status, Assert.IsType<ProblemHttpResult>(result).StatusCode);

    [Fact]
    public async Task Cancel_WhileTranscribing_JobIsCancelledAndNoFurtherSliceOrStageRuns()
    {
        // 30 s in slices of 10 s, one at a time, to Enrich: the gate holds the first slice in Whisper.
        var id = await SubmitAsync(EpisodeStage.Enriched);
        await Poll.UntilAsync(() => Task.FromResult(Transcriber.Started), n => n == 1, Timeout, "the first slice in Whisper");

        var cancelled = await CancelAsync(id);

        var accepted = Assert.IsType<Accepted<JobResponse>>(cancelled.Result);
        Assert.Equal((id, JobStatus.Running, JobPhase.Transcribing), (accepted.Value!.JobId, accepted.Value.Status, accepted.Value.CurrentStage));
        Assert.Equal(ApiRoutes.JobPath(id), accepted.Location);
        var metadata = await CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, metadata.RuntimeStatus);

        // The slice in flight finishes; its result must not lead to the next slice, the merge or Enrich.
        Transcriber.OpenFully();
        await Poll.UntilAsync(() => Task.FromResult(Transcriber.Finished), n => n == 1, Timeout, "the slice in flight to finish");
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(1, Transcriber.Started);
        Assert.True(File.Exists(Layout.SegmentPath(Episode, 0)));
        Assert.False(File.Exists(Layout.SegmentPath(Episode, 1)));
        Assert.False(File.Exists(Layout.TranscriptPath(Episode)));
        Assert.Empty(_ollama.Chats);
        var job = await JobAsync(id);
        Assert.Equal((JobStatus.Cancelled, JobPhase.Transcribing, JobControlApi.CancelledReason), (job.Status, job.CurrentStage, job.Error));
        Assert.Equal(EpisodeStage.Discovered, (await Get<EpisodeCatalog>().FindAsync(Episode, CancellationToken.None))!.Stage);

        // Cancelled is an end: a second cancel is refused, and the episode takes a new job.
        AssertProblem(StatusCodes.Status409Conflict, (await CancelAsync(id)).Result);
        Assert.NotEqual(id, await SubmitAsync(EpisodeStage.Transcribed));
    }

    [Fact]
    public async Task CancelOrRetry_CompletedJob_Returns409_AndUnknownJobs404()
    {
        Transcriber.OpenFully();
        var id = await SubmitAsync(EpisodeStage.Transcribed);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await CompletionAsync(id)).RuntimeStatus);

        var cancel = await CancelAsync(id);
        var retry = await RetryAsync(id.ToUpperInvariant());

        AssertProblem(StatusCodes.Status409Conflict, cancel.Result);
        AssertProblem(StatusCodes.Status409Conflict, retry.Result);
        Assert.Contains("force_reprocess", Assert.IsType<ProblemHttpResult>(retry.Result).ProblemDetails.Detail);
        Assert.Equal(JobStatus.Completed, (await JobAsync(id)).Status);
        var instances = new List<string>();
        await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            instances.Add(instance.InstanceId);
        }

        Assert.Equal([id], instances);
        AssertProblem(StatusCodes.Status404NotFound, (await CancelAsync(Guid.NewGuid().ToString())).Result);
        AssertProblem(StatusCodes.Status404NotFound, (await RetryAsync("not-a-job")).Result);
    }

    [Fact]
    public async Task Retry_AfterACancelMidTranscription_ReusesTheFinishedSlices()
    {
        // 30 s in slices of 10 s, one at a time: the first slice finishes, the second is held in Whisper and cancelled.
        var id = await SubmitAsync(EpisodeStage.Transcribed);
        Transcriber.Release();
        await Poll.UntilAsync(() => Task.FromResult(Transcriber.Started), n => n == 2, Timeout, "the second slice in Whisper");
        Assert.IsType<Accepted<JobResponse>>((await CancelAsync(id)).Result);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await CompletionAsync(id)).RuntimeStatus);
        Transcriber.OpenFully();
        await Poll.UntilAsync(() => Task.FromResult(Transcriber.Finished), n => n == 2, Timeout, "the slice in flight to finish");
        var finished = File.GetLastWriteTimeUtc(Layout.SegmentPath(Episode, 0));
        // A slice file that cannot be read is transcribed again, not trusted.
        await File.WriteAllTextAsync(Layout.SegmentPath(Episode, 1), "[{not json");

        var retried = Assert.IsType<Accepted<SubmitResponse>>((await RetryAsync(id)).Result).Value!;
        var done = await CompletionAsync(retried.JobId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(finished, File.GetLastWriteTimeUtc(Layout.SegmentPath(Episode, 0)));
        Assert.NotNull(await AtomicFile.ReadJsonAsync<List<TranscriptSegment>>(Layout.SegmentPath(Episode, 1)));
        // The damaged second slice and the third (if it has speech) went to Whisper again; the first did not.
        Assert.InRange(Transcriber.Started, 3, 4);
        Assert.True(File.Exists(Layout.TranscriptPath(Episode)));

        // force_reprocess transcribes every slice again.
        var forced = await SubmitAsync(EpisodeStage.Transcribed, force: true);
        var before = Transcriber.Started;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await CompletionAsync(forced)).RuntimeStatus);
        Assert.True(Transcriber.Started - before >= 2, $"{Transcriber.Started - before} slices transcribed with force_reprocess");
    }

    [Fact]
    public async Task Retry_AfterAFailedEnrich_ReusesTheTranscriptAndLinksTheJobs()
    {
        Transcriber.OpenFully();
        _ollama.Respond = _ => FakeReply.Answer("{\"title\": 42}");
        // Forced, to show that a retry never is: it reuses what the failed job made.
        var failedId = await SubmitAsync(EpisodeStage.Enriched, force: true);
        var failed = await CompletionAsync(failedId);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal(JobPhase.Enriching, JobStatusMapper.Map(failed).CurrentStage);
        var (whisperCalls, extractions) = (Transcriber.Started, Get<CountingExtractor>().Extractions);
        var transcript = await File.ReadAllBytesAsync(Layout.TranscriptPath(Episode));
        Assert.Equal(1, extractions);
        Assert.Equal(3, whisperCalls);

        _ollama.Respond = r => FakeReply.Answer(PlausibleAnswers.For(r));
        var retried = await RetryAsync(failedId);

        var answer = Assert.IsType<Accepted<SubmitResponse>>(retried.Result).Value!;
        Assert.Equal((failedId, false, Episode, JobStatus.Queued), (answer.RetryOf, answer.Existing, answer.EpisodeId, answer.Status));
        Assert.NotEqual(failedId, answer.JobId);
        var done = await CompletionAsync(answer.JobId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal((whisperCalls, extractions), (Transcriber.Started, Get<CountingExtractor>().Extractions));
        Assert.Equal(transcript, await File.ReadAllBytesAsync(Layout.TranscriptPath(Episode)));
        Assert.True(File.Exists(Layout.EnrichmentPath(Episode)));
        var input = done.ReadInputAs<ProcessEpisodeInput>()!;
        Assert.Equal((EpisodeStage.Enriched, false, failedId), (input.TargetStage, input.ForceReprocess, input.RetryOf));
        var job = JobStatusMapper.Map(done);
        Assert.Equal((failedId, JobStatus.Completed), (job.RetryOf, job.Status));
        Assert.Null((await JobAsync(failedId)).RetryOf);

        // The new job completed, so it cannot be retried; the failed one still can, as a new job again.
        AssertProblem(StatusCodes.Status409Conflict, (await RetryAsync(answer.JobId)).Result);
    }

    [Fact]
    public async Task Purge_RemovesFinishedJobsCreatedBeforeTheInstant_NotRecentOrRunningOnes()
    {
        var (oldFailed, running, recent, before) = await OldRunningAndRecentJobsAsync();

        var index = Get<JobIndex>();
        var purged = await index.PurgeFinishedAsync(Client, before, CancellationToken.None);

        Assert.Equal(1, purged);
        Assert.Null(await Client.GetInstanceAsync(oldFailed));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(running))!.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await Client.GetInstanceAsync(recent))!.RuntimeStatus);
        Assert.Equal(0, await index.PurgeFinishedAsync(Client, before, CancellationToken.None));
    }

    [Fact]
    public async Task RetentionService_AtStart_PurgesFinishedJobsOlderThanTheRetentionPeriod()
    {
        var (oldFailed, running, recent, before) = await OldRunningAndRecentJobsAsync();
        // Thirty days (Pipeline:Jobs:RetentionDays) after the instant between the old jobs and the recent one.
        var time = new FixedTime(before + TimeSpan.FromDays(30));
        var options = Get<IOptions<PipelineOptions>>();
        var retention = new JobRetention(Get<JobIndex>(), options, time, NullLogger<JobRetention>.Instance);
        using var service = new JobRetentionService(retention, Client, options, time, NullLogger<JobRetentionService>.Instance);

        await service.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => Client.GetInstanceAsync(oldFailed), m => m is null, Timeout, "the old job to be purged");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.NotNull(await Client.GetInstanceAsync(running));
        Assert.NotNull(await Client.GetInstanceAsync(recent));
    }

    [Fact]
    public async Task Retention_Zero_KeepsEveryJob()
    {
        var id = await FailingJobAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new PipelineOptions { Jobs = new JobsOptions { RetentionDays = 0 } });
        var retention = new JobRetention(Get<JobIndex>(), options, new FixedTime(DateTimeOffset.UtcNow.AddYears(50)), NullLogger<JobRetention>.Instance);

        Assert.Null(await retention.PurgeExpiredAsync(Client, CancellationToken.None));
        Assert.NotNull(await Client.GetInstanceAsync(id));
    }

    /// <summary>
    /// A failed job and a running one (transcription held), then the instant, then a recent failed job. Only the
    /// first is finished and older than the instant.
    /// </summary>
    private async Task<(string OldFailed, string Running, string Recent, DateTimeOffset Before)> OldRunningAndRecentJobsAsync()
    {
        var oldFailed = await FailingJobAsync();
        var running = await SubmitAsync(EpisodeStage.Transcribed);
        await Poll.UntilAsync(() => Task.FromResult(Transcriber.Started), n => n == 1, Timeout, "the running job's first slice in Whisper");
        await Task.Delay(50);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var recent = await FailingJobAsync();
        Assert.True((await Client.GetInstanceAsync(oldFailed))!.CreatedAt < before);
        Assert.True((await Client.GetInstanceAsync(running))!.CreatedAt < before);
        Assert.True((await Client.GetInstanceAsync(recent))!.CreatedAt > before);
        return (oldFailed, running, recent, before);
    }

    /// <summary>A clock that always says <paramref name="now"/>.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public async Task DisposeAsync()
    {
        // Whisper must not be running when the host goes (docs/architecture.md): stop the jobs, let a held slice finish.
        await foreach (var job in Client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running] }))
        {
            await Client.TerminateInstanceAsync(job.InstanceId);
        }

        Transcriber.OpenFully();
        await Poll.UntilAsync(() => Task.FromResult(Transcriber.Finished), n => n == Transcriber.Started, Timeout, "Whisper calls in flight to finish");
        await _host.DisposeAsync();
        await _ollama.DisposeAsync();
        _folders.Dispose();
    }
}
