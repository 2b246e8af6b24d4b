using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.Host;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>Cancel, retry and purge over HTTP on the standalone host (in memory); jobs stay running because their transcription is held.</summary>
public class JobControlHostTests : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);
    private readonly TestFolders _folders = new();
    private readonly HeldTranscriber _held = new();
    private StandaloneHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "podcast.mp3");
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "interview.mp3");
        _host = await StandaloneHost.StartAsync(
            [.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0"],
            services => services.AddSingleton<ITranscriber>(_held));
        _api = new ApiClient(_host.BaseAddress);
        await _api.DiscoverAsync();
    }

    private Task<HttpResponseMessage> CancelAsync(string jobId) => _api.Http.DeleteAsync(new Uri(ApiRoutes.JobPath(jobId), UriKind.Relative));

    private Task<HttpResponseMessage> RetryAsync(string jobId) => _api.Http.PostAsync(new Uri(ApiRoutes.JobRetryPath(jobId), UriKind.Relative), null);

    /// <summary>Submits, waits until the job is transcribing (held), cancels it and waits until it shows cancelled.</summary>
    private async Task<string> CancelledJobAsync(string episodeId)
    {
        var submit = await _api.SubmitOkAsync(episodeId);
        await _api.WaitForJobAsync(submit.JobId, JobTimeout, j => j.Status == JobStatus.Running);
        using var cancel = await CancelAsync(submit.JobId);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(JobStatus.Cancelled, (await _api.WaitForJobAsync(submit.JobId, JobTimeout)).Status);
        return submit.JobId;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Cancel_RunningJob_Returns202WithTheJob_ThenItIsCancelled_AndASecondCancelIs409()
    {
        var submit = await _api.SubmitOkAsync("podcast");
        await _api.WaitForJobAsync(submit.JobId, JobTimeout, j => j.Status == JobStatus.Running);

        using var cancel = await CancelAsync(submit.JobId.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(submit.StatusUrl, cancel.Headers.Location!.ToString());
        var asItStood = (await cancel.Content.ReadFromJsonAsync<JobResponse>())!;
        Assert.Equal((submit.JobId, JobStatus.Running, "podcast"), (asItStood.JobId, asItStood.Status, asItStood.EpisodeId));
        var cancelled = await _api.WaitForJobAsync(submit.JobId, JobTimeout);
        Assert.Equal((JobStatus.Cancelled, JobControlApi.CancelledReason), (cancelled.Status, cancelled.Error));
        var stats = await _api.Http.GetFromJsonAsync<JsonElement>("/async/stats");
        Assert.Equal((1, 0), (stats.GetProperty("cancelled").GetInt32(), stats.GetProperty("running").GetInt32()));

        using var again = await CancelAsync(submit.JobId);
        var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("cancelled", problem.GetProperty("detail").GetString());
        Assert.Contains(ApiRoutes.JobRetryPath(submit.JobId), problem.GetProperty("detail").GetString());

        // The episode is free again: a submit starts a new job instead of joining the cancelled one.
        var next = await _api.SubmitOkAsync("podcast");
        Assert.False(next.Existing);
    }

    [Fact]
    public async Task CancelThenPurge_WhileASliceIsStillRunning_ItsLateResultIsDroppedOnce_AndTheHostWorksOn()
    {
        var submit = await _api.SubmitOkAsync("podcast");
        await _api.WaitForJobAsync(submit.JobId, JobTimeout, j => j.Status == JobStatus.Running);
        using (var cancel = await CancelAsync(submit.JobId))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        Assert.Equal(JobStatus.Cancelled, (await _api.WaitForJobAsync(submit.JobId, JobTimeout)).Status);
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        using (var purge = await _api.Http.DeleteAsync(new Uri($"/{ApiRoutes.Jobs}?{ApiRoutes.Query.Before}={before}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        // The slice held in Whisper ends now and reports to an instance that no longer exists: the in-memory backend
        // would hand that work item back to the sidecar's dispatcher forever (a busy loop flooding the log).
        _held.Release();
        await Poll.UntilAsync(() => Task.FromResult(_host.OrphansDropped), n => n >= 1, JobTimeout, "the purged job's late result to be dropped");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, _host.OrphansDropped);

        // The host works on: the next job runs to its end (failed: the released transcriber fails every call).
        var next = await _api.SubmitOkAsync("interview");
        Assert.Equal(JobStatus.Failed, (await _api.WaitForJobAsync(next.JobId, JobTimeout)).Status);
    }

    [Fact]
    public async Task CancelAndRetry_UnknownJob_Return404Problems()
    {
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-job" })
        {
            using var cancel = await CancelAsync(id);
            using var retry = await RetryAsync(id);
            await ProblemAsync(cancel, HttpStatusCode.NotFound);
            await ProblemAsync(retry, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Retry_CancelledJob_StartsANewJobLinkedByRetryOf_ThatCannotItselfBeRetriedWhileRunning()
    {
        var cancelledId = await CancelledJobAsync("podcast");

        using var retry = await RetryAsync(cancelledId);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Retry-After"));
        var body = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(cancelledId, body.GetProperty("retry_of").GetString());
        var answer = body.Deserialize<SubmitResponse>()!;
        Assert.Equal((JobStatus.Queued, false, "podcast"), (answer.Status, answer.Existing, answer.EpisodeId));
        Assert.NotEqual(cancelledId, answer.JobId);
        Assert.Equal(answer.StatusUrl, retry.Headers.Location!.ToString());
        var job = await _api.WaitForJobAsync(answer.JobId, JobTimeout, j => j.Status == JobStatus.Running);
        Assert.Equal((cancelledId, "process_episode"), (job.RetryOf, job.JobType));

        // A second retry of the same job while the first retry runs joins it: one active job per episode.
        using var twice = await RetryAsync(cancelledId);
        var joined = (await twice.Content.ReadFromJsonAsync<SubmitResponse>())!;
        Assert.Equal((HttpStatusCode.Accepted, answer.JobId, true), (twice.StatusCode, joined.JobId, joined.Existing));

        using var running = await RetryAsync(answer.JobId);
        Assert.Contains("DELETE", (await ProblemAsync(running, HttpStatusCode.Conflict)).GetProperty("detail").GetString());

        // A plain submit's answer has no retry_of.
        using var submit = await _api.SubmitAsync("interview", """{"target_stage":"transcribed"}""");
        Assert.False((await submit.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("retry_of", out _));
    }

    [Fact]
    public async Task Purge_RemovesFinishedJobsCreatedBeforeTheInstant_NotRecentOrRunningOnes()
    {
        var old = await CancelledJobAsync("podcast");
        var running = (await _api.SubmitOkAsync("interview")).JobId;
        await _api.WaitForJobAsync(running, JobTimeout, j => j.Status == JobStatus.Running);
        await Task.Delay(50);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var recent = await CancelledJobAsync("podcast");

        // An unencoded '+' in a query string arrives as a space; the offset is still read.
        var instant = before.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture);
        using var purge = await _api.Http.DeleteAsync(new Uri($"/async/jobs?before={instant}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        var purged = await purge.Content.ReadFromJsonAsync<PurgeResponse>();
        Assert.Equal(new PurgeResponse(1, before), purged);
        using var gone = await _api.Http.GetAsync(new Uri(ApiRoutes.JobPath(old), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(JobStatus.Running, (await _api.JobAsync(running)).Status);
        Assert.Equal(JobStatus.Cancelled, (await _api.JobAsync(recent)).Status);
        var listed = (await _api.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs"))!;
        Assert.Equal([recent, running], listed.Select(j => j.JobId));
    }

    [Theory]
    [InlineData("/async/jobs")]
    [InlineData("/async/jobs?before=")]
    [InlineData("/async/jobs?before=yesterday")]
    [InlineData("/async/jobs?before=2026-13-01")]
    [InlineData("/async/jobs?before=01/02/2026")]
    public async Task Purge_WithoutAnInstant_Returns400NamingBefore(string url)
    {
        using var response = await _api.Http.DeleteAsync(new Uri(url, UriKind.Relative));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("ISO 8601", problem.GetProperty("errors").GetProperty(ApiRoutes.Query.Before)[0].GetString());
    }

    [Fact]
    public async Task Purge_WithAParameterItDoesNotKnow_Returns400AndPurgesNothing()
    {
        var ended = await CancelledJobAsync("podcast");
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        using var response = await _api.Http.DeleteAsync(new Uri($"/async/jobs?before={future}&dry_run=1", UriKind.Relative));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("nothing was purged", problem.GetProperty("errors").GetProperty("dry_run")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(JobStatus.Cancelled, (await _api.JobAsync(ended)).Status);
    }

    public async Task DisposeAsync()
    {
        _held.Release();
        _api?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _held.Dispose();
        _folders.Dispose();
    }
}
