using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Html.Parser;
using EpisodePipeline.Host;
using EpisodePipeline.Jobs;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using StandardWebhooks;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// The whole product on the standalone host: a media file to a published page with the default target stage,
/// real FFmpeg and Whisper, the fake Ollama for Enrich, and a signed webhook to a real receiver.
/// </summary>
public class EndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(180);
    private readonly TestFolders _folders = new();
    private readonly string _secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private FakeOllama _ollama = null!;
    private WebhookReceiver _receiver = null!;
    private StandaloneHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom-2024/bb_test.mp4");
        _ollama = await FakeOllama.StartAsync("llama3.1:8b");
        _receiver = await WebhookReceiver.StartNewAsync();
        _host = await StandaloneHost.StartAsync(
        [
            .. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0",
            "--Pipeline:Ollama:Url", _ollama.Url, "--Pipeline:Ollama:Model", "llama3.1:8b",
            "--Pipeline:Webhook:Secret", _secret,
        ]);
        _api = new ApiClient(_host.BaseAddress);
    }

    [Fact]
    public async Task DefaultTargetStage_MediaToPublishedPage_WithASignedWebhook()
    {
        await _api.DiscoverAsync();

        using var submitted = await _api.SubmitAsync("newsroom-2024-bb_test", $$"""{"webhook_url":"{{_receiver.Url}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var jobId = (await submitted.Content.ReadFromJsonAsync<SubmitResponse>())!.JobId;
        var job = await _api.WaitForJobAsync(jobId, JobTimeout, j => j.Status is JobStatus.Failed or JobStatus.Cancelled || j.Webhook is not null);

        Assert.True(job.Status == JobStatus.Completed, $"job ended {job.Status}: {job.Error}");
        var result = job.Result!.Value;
        Assert.Equal("rendered", result.GetProperty("stage").GetString());
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.True(result.GetProperty("artifacts").TryGetProperty("enrichment", out _));
        var stageSeconds = result.GetProperty("stage_seconds").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal([StageTimes.Transcribe, StageTimes.Enrich, StageTimes.Render], stageSeconds.Keys);
        Assert.All(stageSeconds.Values, s => Assert.True(s >= 0, $"stage took {s} s"));
        Assert.Equal(result.GetProperty("job_seconds").GetDouble(), stageSeconds.Values.Sum(), 0.0025); // each rounded to 1 ms
        Assert.NotEmpty(_ollama.Chats);

        // page_url is one click away: absolute, served by the host, the page of this episode.
        var pageUrl = new Uri(result.GetProperty("page_url").GetString()!);
        Assert.True(pageUrl.IsAbsoluteUri);
        using var page = await _api.Http.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.NotNull(document.QuerySelector("video, audio"));
        Assert.Contains("A conversation about local first software", document.Title, StringComparison.Ordinal);
        Assert.NotEmpty(document.QuerySelectorAll("li.chapter"));
        Assert.Equal(result.GetProperty("segments").GetInt32(), document.QuerySelectorAll("li.segment").Length);

        // The webhook arrived once, signed, and the job says so without its own status changing.
        var delivery = Assert.Single(await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(30)));
        new StandardWebhook(_secret).Verify(delivery.Body, delivery.Headers);
        var payload = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal((jobId, "completed"), (payload.GetProperty("job_id").GetString(), payload.GetProperty("status").GetString()));
        Assert.Equal("rendered", payload.GetProperty("result").GetProperty("stage").GetString());
        Assert.True(job.Webhook!.Delivered);
        Assert.Equal(1, job.Webhook.Attempts);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
        await _ollama.DisposeAsync();
        _folders.Dispose();
    }
}
