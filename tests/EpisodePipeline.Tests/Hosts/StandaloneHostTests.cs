using EpisodePipeline.Jobs;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.Host;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>The standalone host over HTTP, in memory: the walk-through and every error case of the contract.</summary>
public class StandaloneHostTests : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);
    private readonly TestFolders _folders = new();
    private StandaloneHost _host = null!;
    private ApiClient _api = null!;
    private GatedTranscriber? _gate;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom-2024/bb_test.mp4");
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "podcast.mp3");
    }

    private async Task StartAsync(bool gated = false, params string[] extra)
    {
        _host = await StandaloneHost.StartAsync(
            [.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0", .. extra],
            services =>
            {
                if (gated)
                {
                    services.AddSingleton<GatedTranscriber>();
                    services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
                }
            });
        _gate = gated ? _host.Services.GetRequiredService<GatedTranscriber>() : null;
        _api = new ApiClient(_host.BaseAddress, extra.SkipWhile(a => a != "--api-key").Skip(1).FirstOrDefault());
    }

    [Fact]
    public async Task Walkthrough_DiscoverSubmitPoll_CompletesWithTheTranscriptInResult()
    {
        await StartAsync();

        var discovered = await _api.DiscoverAsync();
        Assert.Equal(2, discovered.GetProperty("found").GetInt32());
        var episodes = await _api.Http.GetFromJsonAsync<JsonElement>("/episodes");
        Assert.Equal(["newsroom-2024-bb_test", "podcast"], episodes.EnumerateArray().Select(e => e.GetProperty("id").GetString()));

        using var submitted = await _api.SubmitAsync("newsroom-2024-bb_test", """{"episode_id":"newsroom-2024-bb_test","target_stage":"transcribed","force_reprocess":false}""");
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var submit = (await submitted.Content.ReadFromJsonAsync<Jobs.SubmitResponse>())!;
        Assert.True(Guid.TryParse(submit.JobId, out _));
        Assert.Equal(JobStatus.Queued, submit.Status);
        Assert.Equal(submit.StatusUrl, submitted.Headers.Location!.ToString());
        Assert.EndsWith($"/async/jobs/{submit.JobId}", submit.StatusUrl);
        Assert.True(submitted.Headers.Contains("Retry-After"));

        var job = await _api.WaitForJobAsync(submit.JobId, JobTimeout);

        Assert.Equal((JobStatus.Completed, 100.0, JobPhase.Completed), (job.Status, job.Progress, job.CurrentStage));
        Assert.Equal("process_episode", job.JobType);
        Assert.Equal("newsroom-2024-bb_test", job.EpisodeId);
        Assert.Null(job.Error);
        var result = job.Result!.Value;
        Assert.Equal("transcribed", result.GetProperty("stage").GetString());
        Assert.Equal(30, result.GetProperty("duration").GetDouble(), 0.5);
        var segments = result.GetProperty("transcript").GetProperty("segments").EnumerateArray().ToList();
        Assert.NotEmpty(segments);
        Assert.Equal(result.GetProperty("segments").GetInt32(), segments.Count);
        Assert.All(segments, s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("text").GetString())));

        var episode = await _api.Http.GetFromJsonAsync<JsonElement>("/episodes/newsroom-2024-bb_test");
        Assert.Equal("transcribed", episode.GetProperty("stage").GetString());

        var list = await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs?limit=10&status=completed&episode_id=newsroom-2024-bb_test");
        Assert.Equal(submit.JobId, Assert.Single(list!).GetProperty("job_id").GetString());
        Assert.Empty((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs?status=failed"))!);

        var stats = await _api.Http.GetFromJsonAsync<JsonElement>("/async/stats");
        Assert.Equal((0, 0, 1, 0), (stats.GetProperty("queued").GetInt32(), stats.GetProperty("running").GetInt32(), stats.GetProperty("completed").GetInt32(), stats.GetProperty("failed").GetInt32()));
        Assert.True(stats.GetProperty("max_workers").GetInt32() > 0);
    }

    [Fact]
    public async Task Submit_WhileAJobForTheEpisodeIsRunning_ReturnsThatJobAndShowsProgress()
    {
        await StartAsync(gated: true);
        await _api.DiscoverAsync();

        var first = await _api.SubmitOkAsync("newsroom-2024-bb_test");
        var running = await _api.WaitForJobAsync(first.JobId, JobTimeout, j => j.CurrentStage == JobPhase.Transcribing && j.Message.StartsWith("Transcribing segment", StringComparison.Ordinal));
        var second = await _api.SubmitOkAsync("newsroom-2024-bb_test");

        Assert.Equal(first.JobId, second.JobId);
        Assert.True(second.Existing);
        Assert.Equal(JobStatus.Running, running.Status);
        Assert.Equal("Transcribing segment 1/3", running.Message);
        Assert.InRange(running.Progress, 10, 40);

        _gate!.OpenFully();
        Assert.Equal(JobStatus.Completed, (await _api.WaitForJobAsync(first.JobId, JobTimeout)).Status);
        var third = await _api.SubmitOkAsync("newsroom-2024-bb_test", force: true);
        Assert.NotEqual(first.JobId, third.JobId);
        Assert.False(third.Existing);
        await _api.WaitForJobAsync(third.JobId, JobTimeout);

        var jobs = (await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs?limit=1"))!;
        Assert.Equal(third.JobId, Assert.Single(jobs).GetProperty("job_id").GetString());
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("""{"target_stage":"published"}""", "target_stage")]
    [InlineData("""{"target_stage":"discovered"}""", "target_stage")]
    [InlineData("""{"episode_id":"another-episode","target_stage":"transcribed"}""", "episode_id")]
    [InlineData("""{"target_stage":"transcribed","webhook_url":"not-a-url"}""", "webhook_url")]
    [InlineData("""{"target_stage":"transcribed","force_reprocess":"yes"}""", "body")]
    public async Task Submit_BadBody_Returns400ProblemNamingTheField(string body, string field)
    {
        await StartAsync();
        await _api.DiscoverAsync();

        using var response = await _api.SubmitAsync("podcast", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Theory]
    [InlineData("/async/jobs?limit=0", "limit")]
    [InlineData("/async/jobs?limit=101", "limit")]
    [InlineData("/async/jobs?limit=ten", "limit")]
    [InlineData("/async/jobs?status=sleeping", "status")]
    public async Task ListJobs_BadQuery_Returns400(string url, string field)
    {
        await StartAsync();

        using var response = await _api.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task UnknownEpisodeOrJob_Returns404Problem()
    {
        await StartAsync();
        await _api.DiscoverAsync();

        using var submit = await _api.SubmitAsync("no-such-episode", """{"target_stage":"transcribed"}""");
        using var traversal = await _api.SubmitAsync("..%2F..%2Fetc", """{"target_stage":"transcribed"}""");
        using var episode = await _api.Http.GetAsync("/episodes/no-such-episode");
        using var job = await _api.Http.GetAsync($"/async/jobs/{Guid.NewGuid()}");
        using var notAGuid = await _api.Http.GetAsync("/async/jobs/abc-123");

        Assert.All([submit, traversal, episode, job, notAGuid], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("/episodes/discover", (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Submit_HugeBody_Returns413()
    {
        await StartAsync();
        await _api.DiscoverAsync();

        var padding = new string('x', 100_000);
        using var response = await _api.SubmitAsync("podcast", $$"""{"target_stage":"transcribed","note":"{{padding}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"target_stage":"enriched"}""", "Enrich")]
    [InlineData("""{}""", "Render")]
    [InlineData("""{"target_stage":"transcribed","webhook_url":"http://127.0.0.1:9/hook"}""", "NotifyWebhook")]
    public async Task Submit_StageThisBuildCannotReach_Returns422NamingIt(string body, string missing)
    {
        await StartAsync();
        await _api.DiscoverAsync();

        using var response = await _api.SubmitAsync("podcast", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(missing, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs"))!);
    }

    [Fact]
    public async Task ApiKey_WhenSet_IsRequiredByHeaderOrCodeExceptForHealth()
    {
        await StartAsync(false, "--api-key", "s3cret");
        using var anonymous = new HttpClient { BaseAddress = _host.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/episodes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/async/stats?code=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/episodes/discover", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/async/stats?code=s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync("/episodes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task NonLoopbackAddressWithoutKey_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StandaloneHost.StartAsync(["--address", "0.0.0.0", "--port", "0"]));

        Assert.Contains("ApiKey", error.Message);
    }

    [Fact]
    public async Task BadPipelineSetting_RefusesToStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StandaloneHost.StartAsync([.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0", "--Pipeline:Whisper:ParallelSegments", "-1"]));

        Assert.Contains("ParallelSegments", error.Message);
    }

    public async Task DisposeAsync()
    {
        _gate?.OpenFully();
        _api?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }
}
