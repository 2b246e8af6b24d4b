using System.Text.Json;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using EpisodePipeline.Http;
using EpisodePipeline.Options;
using EpisodePipeline.Orchestrations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>The NightlyBatch orchestration on Durable Task's in-process test host, with real FFmpeg, Whisper and a real webhook receiver.</summary>
public class NightlyBatchWorkflowTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private readonly TestFolders _folders = new();
    private readonly string _secret = Unit.WebhookPolicyTests.NewSecret();
    private DurableTaskTestHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    private DurableTaskClient Client => _host!.Client;

    private BatchJobs Batches => _host!.Services.GetRequiredService<BatchJobs>();

    private async Task StartHostAsync(Action<IServiceCollection>? services = null, params (string Key, string Value)[] settings)
    {
        var all = _folders.Settings(TestModel.Path);
        all["Pipeline:Webhook:Secret"] = _secret;
        all["Pipeline:Batch:TargetStage"] = "transcribed";
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = s =>
                {
                    s.AddSingleton<IConfiguration>(configuration);
                    services?.Invoke(s);
                    s.AddEpisodePipeline();
                },
            });
    }

    private async Task<OrchestrationMetadata> CompletionAsync(string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private async Task<List<OrchestrationMetadata>> InstancesAsync(string name)
    {
        var found = new List<OrchestrationMetadata>();
        await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
        {
            if (instance.Name == name)
            {
                found.Add(instance);
            }
        }

        return found;
    }

    [Fact]
    public async Task Batch_ThreeEpisodesOneFailing_SummarySaysTwoSucceededOneFailed_AndTheReceiverGetsItSigned()
    {
        var clip = await TestMedia.SpeechAudioAsync(6);
        foreach (var name in new[] { "alpha.mp3", "broken.mp3", "gamma.mp3" })
        {
            _folders.AddMedia(clip, name);
        }

        await using var receiver = await WebhookReceiver.StartNewAsync();
        await StartHostAsync(
            s => s.AddSingleton<FfmpegAudioExtractor>().AddSingleton<IAudioExtractor>(sp => new FailingExtractor(sp.GetRequiredService<FfmpegAudioExtractor>(), "broken.mp3")),
            ("Pipeline:Batch:WebhookUrl", receiver.Url.ToString()),
            ("Pipeline:Batch:MaxParallelJobs", "2"));

        var ticket = await Batches.StartScheduledAsync(Client, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), CancellationToken.None);
        var batch = await CompletionAsync(ticket.JobId);

        // A failing episode does not fail the batch.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, batch.RuntimeStatus);
        var result = batch.ReadOutputAs<BatchResult>()!;
        Assert.Equal((2, 1), (result.Succeeded, result.Failed));
        Assert.Equal(["alpha", "gamma"], result.SucceededIds);
        Assert.Equal(["broken"], result.FailedIds);
        Assert.Empty(result.SkippedIds);
        Assert.Equal(EpisodeStage.Transcribed, result.TargetStage);
        Assert.Contains("'broken.mp3' cannot be read", result.Reasons["broken"]);

        // Each episode ran as a ProcessEpisode job of its own, recorded as the episode's job.
        var catalog = _host!.Services.GetRequiredService<Services.Catalog.EpisodeCatalog>();
        foreach (var (episode, expected) in new[] { ("alpha", OrchestrationRuntimeStatus.Completed), ("broken", OrchestrationRuntimeStatus.Failed), ("gamma", OrchestrationRuntimeStatus.Completed) })
        {
            var child = await Client.GetInstanceAsync(result.JobIds[episode]);
            Assert.Equal((nameof(Orchestrations.ProcessEpisodeOrchestrator), expected), (child!.Name, child.RuntimeStatus));
            var recorded = await catalog.FindAsync(episode, CancellationToken.None);
            Assert.Equal((result.JobIds[episode], ticket.JobId), (recorded!.ActiveJobId, recorded.ActiveBatchId));
        }

        Assert.Equal(EpisodeStage.Transcribed, (await catalog.FindAsync("alpha", CancellationToken.None))!.Stage);

        // The job API sees a batch job.
        var job = JobStatusMapper.Map(batch);
        Assert.Equal((JobTypes.Batch, JobStatus.Completed, (string?)null, EpisodeStage.Transcribed), (job.JobType, job.Status, job.EpisodeId, job.TargetStage));
        Assert.Equal(2, job.Result!.Value.GetProperty("succeeded").GetInt32());
        Assert.Equal("2 of 3 episode(s) reached 'transcribed', 1 failed", job.Message);
        Assert.Equal((true, 1), (job.Webhook!.Delivered, job.Webhook.Attempts));

        // The summary arrives signed, with the contract's fields.
        var got = Assert.Single(receiver.Received);
        new StandardWebhook(_secret).Verify(got.Body, got.Headers);
        Assert.Equal($"job_{ticket.JobId}", got.Headers["webhook-id"].ToString());
        using var payload = JsonDocument.Parse(got.Body);
        var root = payload.RootElement;
        Assert.Equal(("batch.completed", "batch", ticket.JobId, "completed"),
            (root.GetProperty("type").GetString(), root.GetProperty("job_type").GetString(), root.GetProperty("job_id").GetString(), root.GetProperty("status").GetString()));
        var summary = root.GetProperty("result");
        Assert.Equal((2, 1, "transcribed"), (summary.GetProperty("succeeded").GetInt32(), summary.GetProperty("failed").GetInt32(), summary.GetProperty("target_stage").GetString()));
        Assert.Equal(["alpha", "gamma"], summary.GetProperty("succeeded_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["broken"], summary.GetProperty("failed_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2026-12-01T02:00:00+00:00", summary.GetProperty("scheduled_for").GetString());
    }

    [Fact]
    public async Task Batch_DiscoveryFails_TheBatchFailsAndTheReceiverGetsBatchFailedWithTheCause()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(6), "alpha.mp3");
        await using var receiver = await WebhookReceiver.StartNewAsync();
        await StartHostAsync();
        // chmod does not stop root (the tests' user in CI); a file where the data folder should be stops everyone.
        if (Directory.Exists(_folders.Data))
        {
            Directory.Delete(_folders.Data, recursive: true);
        }

        await File.WriteAllTextAsync(_folders.Data, "not a folder");

        var batchId = await Batches.StartNowAsync(Client, null, receiver.Url.ToString(), CancellationToken.None);
        var batch = await CompletionAsync(batchId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, batch.RuntimeStatus);
        var job = JobStatusMapper.Map(batch);
        Assert.Equal((JobTypes.Batch, JobStatus.Failed, JobPhase.Discovering), (job.JobType, job.Status, job.CurrentStage));
        Assert.Contains(_folders.Data, job.Error);
        var got = Assert.Single(receiver.Received);
        new StandardWebhook(_secret).Verify(got.Body, got.Headers);
        using var payload = JsonDocument.Parse(got.Body);
        Assert.Equal(("batch.failed", "failed", job.Error), (payload.RootElement.GetProperty("type").GetString(), payload.RootElement.GetProperty("status").GetString(), payload.RootElement.GetProperty("error").GetString()));
        Assert.Equal(0, payload.RootElement.GetProperty("result").GetProperty("succeeded").GetInt32());
    }

    [Fact]
    public async Task ScheduledBatch_SecondTriggerForTheSameTime_StartsNothingNew()
    {
        await StartHostAsync();
        var at = new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.FromHours(1));

        // Four triggers for one time at once (two hosts, a retried timer): one batch.
        var tickets = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Batches.StartScheduledAsync(Client, at, CancellationToken.None)));
        var jobId = Assert.Single(tickets.Select(t => t.JobId).Distinct());
        Assert.Single(tickets, t => !t.Existing);
        Assert.Equal(BatchJobs.ScheduledJobId(at.ToUniversalTime()), jobId);
        Assert.True(EpisodeJobs.TryNormalizeJobId(jobId, out var normalized) && normalized == jobId);

        var first = await CompletionAsync(jobId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);

        // After it ended, a late trigger for the same time still neither replaces nor repeats it.
        var late = await Batches.StartScheduledAsync(Client, at, CancellationToken.None);
        Assert.Equal((jobId, true), (late.JobId, late.Existing));
        var batches = await InstancesAsync(BatchJobs.OrchestrationName);
        var only = Assert.Single(batches);
        Assert.Equal((first.CreatedAt, OrchestrationRuntimeStatus.Completed), (only.CreatedAt, only.RuntimeStatus));

        // The next occurrence is another batch.
        var tomorrow = await Batches.StartScheduledAsync(Client, at.AddDays(1), CancellationToken.None);
        Assert.False(tomorrow.Existing);
        Assert.NotEqual(jobId, tomorrow.JobId);
    }

    [Fact]
    public async Task Batch_KeepsOneActiveJobPerEpisode_SkipsAnEpisodeWithAJobAndIsJoinedBySubmits()
    {
        var clip = await TestMedia.SpeechAudioAsync(6);
        _folders.AddMedia(clip, "busy.mp3");
        _folders.AddMedia(clip, "quiet.mp3");
        using var held = new HeldTranscriber();
        await StartHostAsync(s => s.AddSingleton<ITranscriber>(held), ("Pipeline:Batch:MaxParallelJobs", "1"));
        var catalog = _host!.Services.GetRequiredService<Services.Catalog.EpisodeCatalog>();
        var jobs = _host.Services.GetRequiredService<EpisodeJobs>();
        await catalog.DiscoverAsync(CancellationToken.None);
        var userJob = await jobs.StartOrJoinAsync(Client, new ProcessEpisodeInput("busy", EpisodeStage.Transcribed, false, null), CancellationToken.None);

        var batchId = await Batches.StartNowAsync(Client, null, null, CancellationToken.None);

        // The batch leaves "busy" to the user's job (one of two done) and runs "quiet", whose transcription is held.
        var running = await Poll.UntilAsync(
            async () => (await Client.GetInstanceAsync(batchId, getInputsAndOutputs: true))!,
            m => m.ReadCustomStatusAs<PipelineStatus>() is { Message: "Episode 2/2" },
            Timeout, "the batch to reach its second episode");
        var status = JobStatusMapper.Map(running);
        Assert.Equal((JobTypes.Batch, JobStatus.Running, JobPhase.Processing, 52.5, (string?)null), (status.JobType, status.Status, status.CurrentStage, status.Progress, status.EpisodeId));
        Assert.NotNull(status.EtaSeconds);
        var batchJob = await Poll.UntilAsync(
            () => catalog.FindAsync("quiet", CancellationToken.None),
            e => e?.ActiveBatchId == batchId,
            Timeout, "the batch to claim 'quiet'");

        // A submit for the batch's episode joins the batch's job instead of starting a second one.
        var joined = await jobs.StartOrJoinAsync(Client, new ProcessEpisodeInput("quiet", EpisodeStage.Transcribed, false, null), CancellationToken.None);
        Assert.Equal((batchJob!.ActiveJobId, true), (joined.JobId, joined.Existing));

        // Also in the moment between the claim and the sub-orchestration's creation, while the batch runs.
        _folders.AddMedia(clip, "late.mp3");
        await catalog.DiscoverAsync(CancellationToken.None);
        var notYetCreated = Guid.NewGuid().ToString("D");
        Assert.Null(await jobs.ClaimForBatchAsync(Client, "late", notYetCreated, batchId, CancellationToken.None));
        Assert.Null(await jobs.ClaimForBatchAsync(Client, "late", notYetCreated, batchId, CancellationToken.None));
        var lateSubmit = await jobs.StartOrJoinAsync(Client, new ProcessEpisodeInput("late", EpisodeStage.Transcribed, false, null), CancellationToken.None);
        Assert.Equal((notYetCreated, true), (lateSubmit.JobId, lateSubmit.Existing));

        held.Release();
        var batch = await CompletionAsync(batchId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, batch.RuntimeStatus);
        var result = batch.ReadOutputAs<BatchResult>()!;
        Assert.Equal(["busy"], result.SkippedIds);
        Assert.Equal(userJob.JobId, result.JobIds["busy"]);
        Assert.Contains(userJob.JobId, result.Reasons["busy"]);
        Assert.Equal(["quiet"], result.FailedIds);
        Assert.Equal(batchJob.ActiveJobId, result.JobIds["quiet"]);
        Assert.Empty(result.SucceededIds);
    }

    [Fact]
    public async Task CancellingABatch_CancelsTheEpisodeJobItIsRunning_AndStartsNoOther()
    {
        var clip = await TestMedia.SpeechAudioAsync(6);
        _folders.AddMedia(clip, "first.mp3");
        _folders.AddMedia(clip, "second.mp3");
        using var held = new HeldTranscriber();
        await StartHostAsync(s => s.AddSingleton<ITranscriber>(held), ("Pipeline:Batch:MaxParallelJobs", "1"));
        var catalog = _host!.Services.GetRequiredService<Services.Catalog.EpisodeCatalog>();
        var batchId = await Batches.StartNowAsync(Client, null, null, CancellationToken.None);
        var claimed = await Poll.UntilAsync(
            () => catalog.FindAsync("first", CancellationToken.None),
            e => e?.ActiveBatchId == batchId && e.ActiveJobId is not null,
            Timeout, "the batch to start the first episode's job");
        var childId = claimed!.ActiveJobId!;
        await Poll.UntilAsync(
            () => Client.GetInstanceAsync(childId),
            m => m?.RuntimeStatus == OrchestrationRuntimeStatus.Running,
            Timeout, "the first episode's job to run");

        var answer = await JobControlApi.CancelAsync(batchId, Client, catalog, ApiLinks.Relative, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.IsType<Accepted<JobResponse>>(answer.Result);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await CompletionAsync(batchId)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await CompletionAsync(childId)).RuntimeStatus);
        held.Release();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await InstancesAsync(nameof(ProcessEpisodeOrchestrator)));
        Assert.Null((await catalog.FindAsync("second", CancellationToken.None))!.ActiveJobId);

        // A cancelled batch is not retried (a new batch picks its episodes up): 409, and no job starts.
        var retry = await JobControlApi.RetryAsync(batchId, new DefaultHttpContext().Response, catalog, _host.Services.GetRequiredService<EpisodeJobs>(), Client,
            ApiLinks.Relative, _host.Services.GetRequiredService<IOptions<PipelineOptions>>(), NullLoggerFactory.Instance, CancellationToken.None);
        var problem = Assert.IsType<ProblemHttpResult>(retry.Result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains("Start a new one", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Single(await InstancesAsync(nameof(ProcessEpisodeOrchestrator)));

        // Cancelling it again says how to run it again: a new batch, not a retry (which would be refused).
        var again = Assert.IsType<ProblemHttpResult>((await JobControlApi.CancelAsync(batchId, Client, catalog, ApiLinks.Relative, NullLoggerFactory.Instance, CancellationToken.None)).Result);
        Assert.Equal(StatusCodes.Status409Conflict, again.StatusCode);
        Assert.Contains($"POST /{ApiRoutes.Batches}", again.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("retry", again.ProblemDetails.Detail, StringComparison.OrdinalIgnoreCase);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }

    /// <summary>The real extractor, except that one file reads as damaged (a permanent failure, not retried).</summary>
    private sealed class FailingExtractor(FfmpegAudioExtractor inner, string failingFile) : IAudioExtractor
    {
        public Task<ExtractedAudio> ExtractWavAsync(string mediaPath, int trackIndex, string wavPath, CancellationToken cancellationToken) =>
            Path.GetFileName(mediaPath) == failingFile
                ? throw new MediaUnreadableException($"'{failingFile}' cannot be read as media; the file may be damaged.")
                : inner.ExtractWavAsync(mediaPath, trackIndex, wavPath, cancellationToken);
    }
}
