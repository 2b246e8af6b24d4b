using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>
/// The job index and the list and stats handlers on Durable Task's in-process test host (the standalone host's
/// in-memory backend behind its gRPC sidecar). Jobs are orchestrations named as ProcessEpisode jobs whose behaviour
/// the episode id chooses: <c>done-*</c> completes, <c>fail-*</c> fails, <c>wait-*</c> runs until it gets <c>go</c>.
/// </summary>
public class JobIndexTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly ShiftedTimeProvider _time = new();
    private DurableTaskTestHost _host = null!;
    private JobIndex _index = null!;

    private DurableTaskClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks
                .AddOrchestratorFunc<ProcessEpisodeInput, string>(nameof(ProcessEpisodeOrchestrator), async (context, input) =>
                {
                    context.SetCustomStatus(new PipelineStatus { Phase = JobPhase.Starting, Progress = 5, Message = "Preparing episode" });
                    if (input.EpisodeId.StartsWith("fail-", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"Episode '{input.EpisodeId}' is not in the catalog.");
                    }

                    if (input.EpisodeId.StartsWith("wait-", StringComparison.Ordinal))
                    {
                        await context.WaitForExternalEvent<bool>("go");
                    }

                    return input.EpisodeId;
                })
                .AddOrchestratorFunc<string, string>("NotAJob", (_, input) => Task.FromResult(input)),
            new DurableTaskTestHostOptions());
        _index = NewIndex();
    }

    private JobIndex NewIndex(TimeSpan? reconcileInterval = null) =>
        new(_time, NullLogger<JobIndex>.Instance) { ReconcileInterval = reconcileInterval ?? JobIndex.DefaultReconcileInterval };

    private Task<string> ScheduleAsync(string episodeId) =>
        Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProcessEpisodeOrchestrator), new ProcessEpisodeInput(episodeId, EpisodeStage.Transcribed, false, null));

    /// <summary>Schedules one job per episode id in order, each created later than the one before, and waits until each has ended or, for <c>wait-*</c>, runs.</summary>
    private async Task<List<string>> ScheduleAllAsync(params string[] episodeIds)
    {
        var ids = new List<string>();
        foreach (var episodeId in episodeIds)
        {
            ids.Add(await ScheduleAsync(episodeId));
            await Task.Delay(5);
        }

        using var cts = new CancellationTokenSource(Timeout);
        for (var i = 0; i < ids.Count; i++)
        {
            if (episodeIds[i].StartsWith("wait-", StringComparison.Ordinal))
            {
                await Client.WaitForInstanceStartAsync(ids[i], cts.Token);
            }
            else
            {
                await Client.WaitForInstanceCompletionAsync(ids[i], cts.Token);
            }
        }

        return ids;
    }

    private async Task FinishAsync(string jobId)
    {
        await Client.RaiseEventAsync(jobId, "go", true);
        using var cts = new CancellationTokenSource(Timeout);
        await Client.WaitForInstanceCompletionAsync(jobId, cts.Token);
    }

    private async Task<JobCounts> CountsAsync(JobIndex? index = null)
    {
        index ??= _index;
        await index.RefreshAsync(Client, CancellationToken.None);
        return index.Counts();
    }

    private async Task<(List<JobResponse> Jobs, string? Next)> ListAsync(string? limit = null, string? status = null, string? episodeId = null, string? cursor = null)
    {
        var response = new DefaultHttpContext().Response;
        var result = await JobQueriesApi.ListAsync(limit, status, episodeId, cursor, Client, _index, ApiLinks.Relative, response, CancellationToken.None);
        var ok = Assert.IsType<Ok<List<JobResponse>>>(result.Result);
        var link = response.Headers.Link.ToString();
        return (ok.Value!, link.Length == 0 ? null : link);
    }

    private static string CursorOf(string link)
    {
        Assert.EndsWith(">; rel=\"next\"", link);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + link[1..link.IndexOf('>', StringComparison.Ordinal)]).Query);
        return query[ApiRoutes.Query.Cursor].ToString();
    }

    [Fact]
    public async Task List_FiltersLimitsAndOrdersNewestFirst_AndPagesWithTheLinkCursor()
    {
        var ids = await ScheduleAllAsync("done-a", "fail-b", "done-b", "wait-a", "done-a", "fail-a", "done-b");
        await Client.ScheduleNewOrchestrationInstanceAsync("NotAJob", "x");
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var all = await ListAsync();
        var failed = await ListAsync(status: "failed");
        var running = await ListAsync(status: "running");
        var episode = await ListAsync(episodeId: "done-b");
        var first = await ListAsync(limit: "3");
        var second = await ListAsync(limit: "3", cursor: CursorOf(first.Next!));
        var third = await ListAsync(limit: "3", cursor: CursorOf(second.Next!));

        Assert.Equal(newestFirst, all.Jobs.Select(j => j.JobId));
        Assert.Null(all.Next);
        Assert.Equal([ids[5], ids[1]], failed.Jobs.Select(j => j.JobId));
        Assert.All(failed.Jobs, j => Assert.Contains("not in the catalog", j.Error));
        Assert.Equal([ids[3]], running.Jobs.Select(j => j.JobId));
        Assert.Equal([ids[6], ids[2]], episode.Jobs.Select(j => j.JobId));
        Assert.Equal(newestFirst, first.Jobs.Concat(second.Jobs).Concat(third.Jobs).Select(j => j.JobId));
        Assert.StartsWith("</async/jobs?limit=3&cursor=", first.Next);
        Assert.Null(third.Next);
        Assert.Equal(new JobCounts(Queued: 0, Running: 1, Completed: 4, Failed: 2, Cancelled: 0), _index.Counts());
    }

    [Fact]
    public async Task List_PageSpreadAmongManyOtherJobs_ListsItsOwnJobs()
    {
        var ids = await ScheduleAllAsync(["done-y", .. Enumerable.Repeat("done-x", 60), "done-y"]);

        var sparse = await ListAsync(episodeId: "done-y");
        var dense = await ListAsync(limit: "5", episodeId: "done-x");

        Assert.Equal([ids[^1], ids[0]], sparse.Jobs.Select(j => j.JobId));
        Assert.Equal(Enumerable.Reverse(ids.Skip(ids.Count - 6).Take(5)), dense.Jobs.Select(j => j.JobId));
        Assert.All(sparse.Jobs.Concat(dense.Jobs), j => Assert.Equal(JobStatus.Completed, j.Status));
    }

    [Fact]
    public async Task List_JobThatEndedSinceTheRefresh_IsLeftOutOfItsFormerStatus()
    {
        var ids = await ScheduleAllAsync("wait-a", "wait-b");
        await CountsAsync();
        await FinishAsync(ids[1]);

        // Read the page the index still holds as running, without the refresh ListAsync would make first.
        var read = await _index.ReadAsync(Client, _index.Page(JobStatus.Running, null, 10), CancellationToken.None);

        Assert.Equal([OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Running], read.Select(m => m!.RuntimeStatus));
        Assert.Equal([ids[0]], _index.Page(JobStatus.Running, null, 10).Select(e => e.JobId));
        Assert.Equal([ids[0]], (await ListAsync(status: "running")).Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task List_BadCursor_IsAValidationProblem()
    {
        var result = await JobQueriesApi.ListAsync(null, null, null, "not a cursor", Client, _index, ApiLinks.Relative, new DefaultHttpContext().Response, CancellationToken.None);

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.True(problem.ProblemDetails.Errors.ContainsKey(ApiRoutes.Query.Cursor));
    }

    [Fact]
    public async Task Refresh_NewJobAppears_AndFinishingMovesItsCount()
    {
        Assert.Equal(0, (await CountsAsync()).Total);

        var jobId = (await ScheduleAllAsync("wait-a"))[0];
        var running = await CountsAsync();
        await FinishAsync(jobId);
        var finished = await CountsAsync();

        Assert.Equal(new JobCounts(Queued: 0, Running: 1, Completed: 0, Failed: 0, Cancelled: 0), running);
        Assert.Equal(new JobCounts(Queued: 0, Running: 0, Completed: 1, Failed: 0, Cancelled: 0), finished);
        Assert.Equal(JobStatus.Completed, Assert.Single(_index.Page(null, null, 10)).Status);
    }

    [Fact]
    public async Task Refresh_JobThatEndsLongAfterItWasCreated_IsFoundThroughTheActiveJobs()
    {
        var waiting = await ScheduleAllAsync("wait-a", "wait-b");
        Assert.Equal(2, (await CountsAsync()).Running);
        // From now on the index's window of new instances starts ten minutes after these jobs were created.
        _time.Shift = TimeSpan.FromMinutes(10);
        await CountsAsync();

        await FinishAsync(waiting[0]);
        await Client.TerminateInstanceAsync(waiting[1], "cancelled by the test");
        using var cts = new CancellationTokenSource(Timeout);
        await Client.WaitForInstanceCompletionAsync(waiting[1], cts.Token);

        Assert.Equal(new JobCounts(Queued: 0, Running: 0, Completed: 1, Failed: 0, Cancelled: 1), await CountsAsync());
    }

    [Fact]
    public async Task Refresh_ConcurrentCallers_EachSeeAJobScheduledBeforeTheyCalled()
    {
        await CountsAsync();
        var seen = new List<bool>();
        for (var round = 0; round < 5; round++)
        {
            var jobId = await ScheduleAsync("wait-" + round);
            seen.AddRange(await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                await _index.RefreshAsync(Client, CancellationToken.None);
                return _index.Page(null, null, 100).Any(e => e.JobId == jobId);
            })));
        }

        Assert.Equal(40, seen.Count);
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public async Task PurgeFinished_RemovesFinishedJobsCreatedBeforeTheInstantOnly()
    {
        var ids = await ScheduleAllAsync("done-a", "fail-a", "wait-a");
        var notAJob = await Client.ScheduleNewOrchestrationInstanceAsync("NotAJob", "x");
        using (var cts = new CancellationTokenSource(Timeout))
        {
            await Client.WaitForInstanceCompletionAsync(notAJob, cts.Token);
        }

        var cutoff = DateTimeOffset.UtcNow;
        var later = (await ScheduleAllAsync("done-b"))[0];

        var purged = await _index.PurgeFinishedAsync(Client, cutoff, CancellationToken.None);

        Assert.Equal(2, purged);
        Assert.Null(await Client.GetInstanceAsync(ids[0]));
        Assert.Null(await Client.GetInstanceAsync(ids[1]));
        Assert.NotNull(await Client.GetInstanceAsync(ids[2]));
        Assert.NotNull(await Client.GetInstanceAsync(later));
        Assert.NotNull(await Client.GetInstanceAsync(notAJob));
        Assert.Equal(new JobCounts(Queued: 0, Running: 1, Completed: 1, Failed: 0, Cancelled: 0), await CountsAsync());
        Assert.Equal([later, ids[2]], (await ListAsync()).Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task NewIndex_OverAStoreWithJobs_BuildsTheSameView()
    {
        await ScheduleAllAsync("done-a", "fail-b", "wait-a", "done-b");
        var before = await CountsAsync();

        using var restarted = NewIndex();
        var after = await CountsAsync(restarted);

        Assert.Equal(new JobCounts(Queued: 0, Running: 1, Completed: 2, Failed: 1, Cancelled: 0), after);
        Assert.Equal(before, after);
        Assert.Equal(_index.Page(null, null, 10), restarted.Page(null, null, 10));
    }

    [Fact]
    public async Task List_JobPurgedBehindTheIndexsBack_IsLeftOutAndForgotten()
    {
        var ids = await ScheduleAllAsync("done-a", "done-b");
        await CountsAsync();

        await Client.PurgeInstanceAsync(ids[1]);
        var list = await ListAsync();

        Assert.Equal([ids[0]], list.Jobs.Select(j => j.JobId));
        Assert.Equal(1, (await CountsAsync()).Total);
    }

    [Fact]
    public async Task Reconcile_JobPurgedBehindTheIndexsBack_IsDropped()
    {
        using var index = NewIndex(reconcileInterval: TimeSpan.Zero);
        var ids = await ScheduleAllAsync("done-a", "done-b");
        Assert.Equal(2, (await CountsAsync(index)).Completed);

        await Client.PurgeInstanceAsync(ids[0]);

        // Only the background re-read of every instance can tell: the job is neither new nor active.
        var counts = await TestKit.Poll.UntilAsync(() => CountsAsync(index), c => c.Completed == 1, Timeout, "the purged job to leave the counts");
        Assert.Equal(ids[1], Assert.Single(index.Page(null, null, 10)).JobId);
        Assert.Equal(1, counts.Total);
    }

    public async Task DisposeAsync()
    {
        _index.Dispose();
        await _host.DisposeAsync();
    }
}
