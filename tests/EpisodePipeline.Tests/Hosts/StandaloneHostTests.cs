using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.Host;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask.Client;
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
    private HeldTranscriber? _held;
    private readonly LogCapture _logs = new();

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
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs);
                if (_held is not null)
                {
                    services.AddSingleton<ITranscriber>(_held);
                }
                else if (gated)
                {
                    services.AddSingleton<GatedTranscriber>();
                    services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
                }
            });
        _gate = gated ? _host.Services.GetRequiredService<GatedTranscriber>() : null;
        _api = new ApiClient(_host.BaseAddress, extra.SkipWhile(a => a != "--api-key").Skip(1).FirstOrDefault());
    }

    /// <summary>Jobs stay running (their transcription is held), so a test can look at an active job.</summary>
    private Task StartHeldAsync(params string[] extra)
    {
        _held = new HeldTranscriber();
        return StartAsync(false, extra);
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
    public async Task JobListAndStats_FollowJobsFromSubmitToPurge()
    {
        await StartAsync(gated: true);
        await _api.DiscoverAsync();

        var first = await _api.SubmitOkAsync("podcast");
        var listedAtOnce = (await _api.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs"))!;
        var statsAtOnce = (await _api.Http.GetFromJsonAsync<StatsResponse>("/async/stats"))!;
        _gate!.OpenFully();
        await _api.WaitForJobAsync(first.JobId, JobTimeout);
        var second = await _api.SubmitOkAsync("newsroom-2024-bb_test");
        await _api.WaitForJobAsync(second.JobId, JobTimeout);
        var stats = (await _api.Http.GetFromJsonAsync<StatsResponse>("/async/stats"))!;
        using var page1 = await _api.Http.GetAsync("/async/jobs?limit=1");
        var next = page1.Headers.GetValues("Link").Single();
        using var page2 = await _api.Http.GetAsync(next[1..next.IndexOf('>', StringComparison.Ordinal)]);
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        var purged = await _host.Services.GetRequiredService<JobIndex>().PurgeFinishedAsync(client, DateTimeOffset.UtcNow, CancellationToken.None);
        var afterPurge = (await _api.Http.GetFromJsonAsync<StatsResponse>("/async/stats"))!;

        Assert.Equal(first.JobId, Assert.Single(listedAtOnce).JobId);
        Assert.Equal((1, 1), (statsAtOnce.Queued + statsAtOnce.Running, statsAtOnce.Total));
        Assert.Equal((0, 0, 2, 2), (stats.Queued, stats.Running, stats.Completed, stats.Total));
        Assert.Equal(second.JobId, Assert.Single((await page1.Content.ReadFromJsonAsync<JobResponse[]>())!).JobId);
        Assert.StartsWith("<" + _host.BaseAddress.ToString().TrimEnd('/') + "/async/jobs?limit=1&cursor=", next);
        Assert.EndsWith(">; rel=\"next\"", next);
        Assert.Equal(first.JobId, Assert.Single((await page2.Content.ReadFromJsonAsync<JobResponse[]>())!).JobId);
        Assert.False(page2.Headers.Contains("Link"));
        Assert.Equal(2, purged);
        Assert.Equal(0, afterPurge.Total);
        Assert.Empty((await _api.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs"))!);
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
    [InlineData("""{"target_stage":"transcribed","audio_track":-1}""", "audio_track")]
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
    [InlineData("/async/jobs?cursor=not%20a%20cursor", "cursor")]
    [InlineData("/async/jobs?cursor=MTIz", "cursor")]
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
    [InlineData("http://127.0.0.1:9/hook", new string[0], "Pipeline:Webhook:Secret")]
    [InlineData("http://elsewhere.example/hook", new[] { "--Pipeline:Webhook:Secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--Pipeline:Webhook:AllowedHosts:0", "hooks.example" }, "elsewhere.example")]
    public async Task Submit_WebhookThisHostMayNotCall_Returns422SayingWhy(string url, string[] settings, string named)
    {
        await StartAsync(false, settings);
        await _api.DiscoverAsync();

        using var response = await _api.SubmitAsync("podcast", $$"""{"target_stage":"transcribed","webhook_url":"{{url}}"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(named, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs"))!);
    }

    [Fact]
    public async Task FailedJob_WhileItsWebhookIsBeingSent_SaysItFailed()
    {
        await using var receiver = new WebhookReceiver { AnswerDelay = TimeSpan.FromSeconds(4) };
        await receiver.StartAsync();
        await StartAsync(false, "--Pipeline:Webhook:Secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        await _api.DiscoverAsync();
        // Cut after discovery: the job fails at its first step, before any transcription.
        var media = Path.Combine(_folders.Media, "podcast.mp3");
        File.WriteAllBytes(media, File.ReadAllBytes(media)[..4096]);

        using var response = await _api.SubmitAsync("podcast", $$"""{"target_stage":"transcribed","webhook_url":"{{receiver.Url}}"}""");
        var jobId = (await response.Content.ReadFromJsonAsync<SubmitResponse>())!.JobId;

        var notifying = await _api.WaitForJobAsync(jobId, JobTimeout, j => j.Status != JobStatus.Running || j.Message.Contains("Notifying", StringComparison.Ordinal));
        Assert.Equal(JobStatus.Running, notifying.Status);
        Assert.StartsWith("Failed while preparing: ", notifying.Message, StringComparison.Ordinal);
        Assert.EndsWith(". Notifying the webhook", notifying.Message, StringComparison.Ordinal);
        var failed = await _api.WaitForJobAsync(jobId, JobTimeout);
        Assert.Equal((JobStatus.Failed, true), (failed.Status, failed.Webhook?.Delivered));
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

    [Fact]
    public async Task Submit_DataFolderNotWritable_Returns500ProblemNamingTheFolderAndStartsNoJob()
    {
        await StartAsync();
        await _api.DiscoverAsync();
        // chmod does not stop root (the tests' user in CI); a file where the data folder was stops everyone.
        Directory.Delete(_folders.Data, recursive: true);
        await File.WriteAllTextAsync(_folders.Data, "not a folder");

        using var response = await _api.SubmitAsync("podcast", """{"target_stage":"transcribed"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(_folders.Data, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            Assert.Fail($"an orchestration was left behind: {instance.InstanceId} {instance.RuntimeStatus}");
        }

        var episode = await _api.Http.GetFromJsonAsync<JsonElement>("/episodes/podcast");
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("active_job_id").ValueKind);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    public async Task Submit_BodyThatIsNotJsonByContentType_Returns415Problem(string contentType)
    {
        await StartAsync();
        await _api.DiscoverAsync();
        using var content = new StringContent("""{"target_stage":"transcribed"}""");
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _api.Http.PostAsync("/async/episodes/podcast/process", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Submit_EmptyBodyWithoutContentType_IsReadAsAllDefaults()
    {
        await StartAsync();
        await _api.DiscoverAsync();

        using var response = await _api.Http.PostAsync("/async/episodes/podcast/process", null);

        // Every field is optional, so an empty body is a request for the default stage: rendered.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await response.Content.ReadFromJsonAsync<SubmitResponse>())!.JobId;
        Assert.Equal((EpisodeStage.Rendered, "podcast"), ((await _api.JobAsync(jobId)).TargetStage, (await _api.JobAsync(jobId)).EpisodeId));
    }

    [Fact]
    public async Task Submit_JsonWithUtf8ByteOrderMark_IsAccepted()
    {
        await StartHeldAsync();
        await _api.DiscoverAsync();
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("""{"target_stage":"transcribed"}""")]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _api.Http.PostAsync("/async/episodes/podcast/process", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Submit_MalformedChunkedBody_Returns400ProblemAndLogsNoStackTrace()
    {
        await StartAsync();
        await _api.DiscoverAsync();
        var logged = _logs.Entries.Count;

        var (status, body) = await RawHttp.SendAsync(_host.BaseAddress,
            "POST /async/episodes/podcast/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Equal(400, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(_logs.Entries.Skip(logged), e => e.Exception is not null || e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Submit_LinksComeFromTheHostsAddressNotTheHostHeader()
    {
        await StartHeldAsync();
        await _api.DiscoverAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/async/episodes/podcast/process")
        {
            Content = new StringContent("""{"target_stage":"transcribed"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "evil.example:666";

        using var response = await _api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(_host.BaseAddress.ToString().TrimEnd('/') + "/async/jobs/", location);
        Assert.Equal(location, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status_url").GetString());
    }

    [Fact]
    public async Task Submit_WithPublicUrl_LinksUseIt()
    {
        await StartHeldAsync("--public-url", "http://media-box:8000/");
        await _api.DiscoverAsync();

        var submit = await _api.SubmitOkAsync("podcast");

        Assert.Equal($"http://media-box:8000/async/jobs/{submit.JobId}", submit.StatusUrl);
    }

    [Fact]
    public async Task GetJob_UpperCaseOrBracedId_FindsTheJob()
    {
        await StartHeldAsync();
        await _api.DiscoverAsync();
        var submit = await _api.SubmitOkAsync("podcast");

        var upper = await _api.JobAsync(submit.JobId.ToUpperInvariant());
        var braced = await _api.Http.GetFromJsonAsync<JsonElement>($"/async/jobs/%7B{submit.JobId}%7D");

        Assert.Equal(submit.JobId, upper.JobId);
        Assert.Equal(submit.JobId, braced.GetProperty("job_id").GetString());
    }

    [Theory]
    [InlineData(MediaStatus.Unreadable, HttpStatusCode.UnprocessableEntity, "no audio stream")]
    [InlineData(MediaStatus.Settling, HttpStatusCode.Conflict, "still being copied in")]
    public async Task Submit_MediaNotReady_IsRefusedWithTheReason(MediaStatus status, HttpStatusCode expected, string reason)
    {
        await StartAsync();
        await _api.DiscoverAsync();
        var catalog = _host.Services.GetRequiredService<EpisodeCatalog>();
        await catalog.UpdateAsync("podcast", e => e with { MediaStatus = status, MediaProblem = status == MediaStatus.Unreadable ? "The file has no audio stream." : "size changed 2 s ago" }, CancellationToken.None);

        using var response = await _api.SubmitAsync("podcast", """{"target_stage":"transcribed"}""");

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs"))!);
    }

    [Fact]
    public async Task Submit_AudioTrack_IsCheckedAgainstTheKnownTracksAndPassedToTheJob()
    {
        await StartHeldAsync();
        await _api.DiscoverAsync();
        var catalog = _host.Services.GetRequiredService<EpisodeCatalog>();
        await catalog.UpdateAsync("podcast", e => e with
        {
            AudioTracks = [new AudioTrack(0, "eng", true, 2, "stereo", "aac", 0), new AudioTrack(1, "ger", false, 6, "5.1", "ac3", 0)],
        }, CancellationToken.None);

        using var outOfRange = await _api.SubmitAsync("podcast", """{"target_stage":"transcribed","audio_track":2}""");
        using var accepted = await _api.SubmitAsync("podcast", """{"target_stage":"transcribed","audio_track":1}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, outOfRange.StatusCode);
        var detail = (await outOfRange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("0 (eng, stereo, aac, default)", detail);
        Assert.Contains("1 (ger, 5.1, ac3)", detail);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<SubmitResponse>())!.JobId;
        var instance = await _host.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(jobId, getInputsAndOutputs: true);
        Assert.Equal(1, instance!.ReadInputAs<ProcessEpisodeInput>()!.AudioTrack);
    }

    [Fact]
    public async Task HostileRequests_NeverGetA5xx()
    {
        await StartHeldAsync();
        await _api.DiscoverAsync();

        var answers = await HostileRequests.SendAllAsync(_api.Http, "podcast");

        Assert.True(answers.Count >= 125, $"only {answers.Count} requests");
        Assert.All(answers, a => Assert.True(a.Status < 500, $"{a.Request} → {a.Status} {a.Body}"));
        Assert.DoesNotContain(_logs.Entries, e => e.Exception is not null);
    }

    [Fact]
    public async Task ConcurrentSubmits_OfOneEpisode_StartOneJob()
    {
        await StartHeldAsync();
        await _api.DiscoverAsync();

        var submits = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _api.SubmitOkAsync("podcast")));

        Assert.Single(submits.Select(s => s.JobId).Distinct());
        Assert.Single(submits, s => !s.Existing);
        Assert.Single((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs"))!);
    }

    [Fact]
    public async Task Batches_Post_Returns202AndTheBatchIsAJobOfTypeBatch()
    {
        await StartAsync();

        using var started = await _api.Http.PostAsync(new Uri("/async/batches", UriKind.Relative), new StringContent("""{"target_stage":"transcribed"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = body.GetProperty("job_id").GetString()!;
        Assert.True(Guid.TryParse(jobId, out _));
        Assert.Equal(("queued", "batch"), (body.GetProperty("status").GetString(), body.GetProperty("job_type").GetString()));
        Assert.Equal(started.Headers.Location!.ToString(), body.GetProperty("status_url").GetString());
        Assert.True(started.Headers.Contains("Retry-After"));

        var batch = await _api.WaitForJobAsync(jobId, JobTimeout);

        Assert.Equal((JobStatus.Completed, "batch", (string?)null, EpisodeStage.Transcribed), (batch.Status, batch.JobType, batch.EpisodeId, batch.TargetStage));
        var result = batch.Result!.Value;
        Assert.Equal((2, 0), (result.GetProperty("succeeded").GetInt32(), result.GetProperty("failed").GetInt32()));
        Assert.Equal(["newsroom-2024-bb_test", "podcast"], result.GetProperty("succeeded_ids").EnumerateArray().Select(e => e.GetString()));

        // Listed with the episodes' own jobs, which it ran.
        var jobs = (await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs?limit=10"))!;
        var listed = Assert.Single(jobs, j => j.GetProperty("job_id").GetString() == jobId);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("episode_id").ValueKind);
        Assert.Equal("batch", listed.GetProperty("job_type").GetString());
        Assert.Equal(2, jobs.Count(j => j.GetProperty("job_type").GetString() == "process_episode"));
        var podcastJob = result.GetProperty("job_ids").GetProperty("podcast").GetString()!;
        Assert.Equal(("process_episode", "podcast"), ((await _api.JobAsync(podcastJob)).JobType, (await _api.JobAsync(podcastJob)).EpisodeId));
    }

    [Theory]
    [InlineData("""{"target_stage":"nope"}""", HttpStatusCode.BadRequest, "target_stage")]
    [InlineData("""{"target_stage":"discovered"}""", HttpStatusCode.BadRequest, "target_stage")]
    [InlineData("""{"webhook_url":"ftp://n8n.local/hook"}""", HttpStatusCode.BadRequest, "webhook_url")]
    [InlineData("""{"target_stage":""", HttpStatusCode.BadRequest, "body")]
    [InlineData("""{"webhook_url":"http://n8n.local/hook"}""", HttpStatusCode.UnprocessableEntity, "Pipeline:Webhook:Secret")]
    public async Task Batches_BadRequest_IsRefusedAndStartsNothing(string json, HttpStatusCode expected, string named)
    {
        await StartAsync();

        using var response = await _api.Http.PostAsync(new Uri("/async/batches", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs"))!);
    }

    [Theory]
    [InlineData("--port", "70000", "Host:Port")]
    [InlineData("--public-url", "ftp://media-box/", "Host:PublicUrl")]
    [InlineData("--task-hub", "x", "Host:TaskHub")]
    [InlineData("--Host:MaxConcurrentActivities", "0", "Host:MaxConcurrentActivities")]
    public async Task BadHostSetting_RefusesToStartNamingTheKey(string flag, string value, string key)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StandaloneHost.StartAsync(["--port", "0", flag, value]));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task BadHostAndPipelineSettings_RefuseToStartNamingBothKeys()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StandaloneHost.StartAsync([.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "70000", "--Pipeline:Whisper:ParallelSegments", "-1"]));

        Assert.Contains("Host:Port", error.Message);
        Assert.Contains("ParallelSegments", error.Message);
    }

    public async Task DisposeAsync()
    {
        _gate?.OpenFully();
        _held?.Release();
        _api?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _held?.Dispose();
        _folders.Dispose();
    }
}
