using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EpisodePipeline.Host;
using EpisodePipeline.Jobs;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// <c>/dashboard</c> on the standalone host in headless Chromium: a job's progress advancing on the page, its page
/// link and stage times once done, cancel and retry from the page, the key prompt, and polling paused in a hidden tab.
/// Jobs are held at the transcriber (<see cref="GatedTranscriber"/>, <see cref="HeldTranscriber"/>) so the page can
/// be read while they run.
/// </summary>
public sealed partial class DashboardTests : IAsyncLifetime
{
    private const string Podcast = "podcast";
    private const string Video = "newsroom-2024-bb_test";
    private const string Key = "s3cret";
    private const string OllamaModel = "llama3.1:8b";
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(180);
    private readonly TestFolders _folders = new();
    private StandaloneHost _host = null!;
    private ApiClient _api = null!;
    private GatedTranscriber? _gate;
    private HeldTranscriber? _held;
    private FakeOllama? _ollama;
    private HeadlessChromium? _browser;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "podcast.mp3");
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom-2024/bb_test.mp4");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _gate?.OpenFully();
        _held?.Release();
        _api?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _held?.Dispose();
        if (_ollama is not null)
        {
            await _ollama.DisposeAsync();
        }

        _folders.Dispose();
    }

    private enum Transcription
    {
        Gated,
        Held,
    }

    private async Task StartAsync(Transcription transcription, params string[] extra)
    {
        _host = await StandaloneHost.StartAsync(
            [.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0", .. extra],
            services =>
            {
                if (transcription == Transcription.Held)
                {
                    _held = new HeldTranscriber();
                    services.AddSingleton<ITranscriber>(_held);
                }
                else if (transcription == Transcription.Gated)
                {
                    services.AddSingleton<GatedTranscriber>();
                    services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
                }
            });
        _gate = transcription == Transcription.Gated ? _host.Services.GetRequiredService<GatedTranscriber>() : null;
        _api = new ApiClient(_host.BaseAddress, extra.Contains("--api-key") ? Key : null);
    }

    /// <summary>Opens <c>/dashboard</c> in a fresh browser; script errors on the page are collected in <paramref name="errors"/>.</summary>
    private async Task<IPage> OpenAsync(List<string> errors)
    {
        _browser = await HeadlessChromium.LaunchAsync();
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        page.PageError += (_, e) => errors.Add(e);
        var response = await page.GotoAsync(new Uri(_host.BaseAddress, "/dashboard").ToString());
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        return page;
    }

    private static string JobRow(string jobId) => $"#jobs tr.job[data-key='{jobId}']";

    private static Task<double> ProgressAsync(IPage page, string jobId) =>
        page.EvalOnSelectorAsync<double>($"{JobRow(jobId)} progress", "p => p.value");

    private static async Task<string> MessageAsync(IPage page, string jobId) =>
        (await page.TextContentAsync($"{JobRow(jobId)} .message"))!;

    private async Task<string> OnlyActiveJobAsync()
    {
        var jobs = await Poll.UntilAsync(
            () => _api.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs?status=running")!,
            j => j!.Length == 1, JobTimeout, "one running job");
        return jobs![0].JobId;
    }

    [Fact]
    public async Task Dashboard_WhileAJobRuns_ShowsItsProgressAdvance_ThenItsPageLinkAndStageTimes()
    {
        _ollama = await FakeOllama.StartAsync(OllamaModel);
        await StartAsync(Transcription.Gated, "--Pipeline:Ollama:Url", _ollama.Url, "--Pipeline:Ollama:Model", OllamaModel);
        var errors = new List<string>();
        var page = await OpenAsync(errors);

        // Discover and process from the page, to the default stage (rendered).
        await page.ClickAsync("#discover");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Discovery: 2 found')");
        await page.ClickAsync($"#episodes tr[data-key='{Video}'] button.process:enabled");
        var jobId = await OnlyActiveJobAsync();
        await page.WaitForFunctionAsync(
            $"() => document.querySelector(\"{JobRow(jobId)} .message\")?.textContent.startsWith('Transcribing segment 1/')");

        var before = await ProgressAsync(page, jobId);
        var message = await MessageAsync(page, jobId);
        var slices = int.Parse(SliceCount().Match(message).Groups[1].Value, CultureInfo.InvariantCulture);
        _gate!.Release(1);
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{JobRow(jobId)} progress\").value > {before.ToString(CultureInfo.InvariantCulture)}");
        var after = await ProgressAsync(page, jobId);

        Assert.True(after > before, $"progress went from {before} to {after}");
        Assert.NotEqual(message, await MessageAsync(page, jobId));
        Assert.Equal((await _api.JobAsync(jobId)).Progress, after, 3);
        Assert.Equal("running", await page.TextContentAsync($"{JobRow(jobId)} .badge"));
        Assert.Equal(1, await page.Locator($"{JobRow(jobId)} button.cancel").CountAsync());

        _gate.Release(slices - 1);
        var job = await _api.WaitForJobAsync(jobId, JobTimeout);
        Assert.True(job.Status == JobStatus.Completed, $"job ended {job.Status}: {job.Error}");
        var stageSeconds = job.Result!.Value.GetProperty("stage_seconds");
        Assert.Equal(["transcribe", "enrich", "render"], stageSeconds.EnumerateObject().Select(p => p.Name));

        // The finished job links its page and draws one bar per stage.
        var link = page.Locator($"{JobRow(jobId)}[data-status='completed'] a.page-link");
        await link.WaitForAsync();
        Assert.Equal(job.Result.Value.GetProperty("page_url").GetString(), await link.GetAttributeAsync("href"));
        await page.WaitForSelectorAsync("#chart svg rect[data-stage='render']");
        Assert.Equal(["transcribe", "enrich", "render"], await page.EvalOnSelectorAllAsync<string[]>("#chart svg rect", "rs => rs.map(r => r.dataset.stage)"));
        Assert.Contains(
            $"render {stageSeconds.GetProperty("render").GetDouble().ToString("F1", CultureInfo.InvariantCulture)} s",
            await page.GetAttributeAsync("#chart svg", "aria-label"));
        Assert.Equal("1", await page.TextContentAsync("#stats dd[data-stat='completed']"));

        // A second job held at its first slice, for the screenshot: one job done, one running.
        await page.ClickAsync($"#episodes tr[data-key='{Podcast}'] button.process:enabled");
        var second = await OnlyActiveJobAsync();
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{JobRow(second)} .message\")?.textContent.startsWith('Transcribing segment 1/')");
        await page.ClickAsync("#jobs-heading"); // no focus ring on a button in the picture
        var screenshot = HeadlessChromium.Screenshot("dashboard.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        HeadlessChromium.PublishToDocs(screenshot);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Dashboard_CancelButton_CancelsTheRunningJob_AndRetryStartsANewOne()
    {
        await StartAsync(Transcription.Held);
        await _api.DiscoverAsync();
        var submitted = await _api.SubmitOkAsync(Podcast);
        await _api.WaitForJobAsync(submitted.JobId, JobTimeout, j => j.Status == JobStatus.Running && j.CurrentStage == JobPhase.Transcribing);
        var errors = new List<string>();
        var page = await OpenAsync(errors);
        var row = JobRow(submitted.JobId);

        await page.ClickAsync($"{row}[data-status='running'] button.cancel");
        var cancelled = await _api.WaitForJobAsync(submitted.JobId, JobTimeout);

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        await page.WaitForSelectorAsync($"{row}[data-status='cancelled'] button.retry");
        Assert.Equal(0, await page.Locator($"{row} button.cancel").CountAsync());
        Assert.StartsWith($"Cancelling job {submitted.JobId[..8]}", await page.TextContentAsync("#status"), StringComparison.Ordinal);

        await page.ClickAsync($"{row} button.retry");
        var jobs = await Poll.UntilAsync(
            () => _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs")!,
            js => js!.Length == 2, JobTimeout, "the retry's job");
        var retry = jobs!.Single(j => j.GetProperty("job_id").GetString() != submitted.JobId);
        Assert.Equal(submitted.JobId, retry.GetProperty("retry_of").GetString());
        var retryRow = JobRow(retry.GetProperty("job_id").GetString()!);
        await page.WaitForSelectorAsync($"{retryRow} button.cancel");
        Assert.Equal($" retry of {submitted.JobId[..8]}", await page.TextContentAsync($"{retryRow} .retry-of"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Dashboard_OnAHostWithAKey_OpensWithoutIt_AsksForItOnce_AndKeepsItForTheSession()
    {
        // A file name is data too: the page shows it as text.
        const string hostile = "<img src=x onerror=\"window.pwned=1\">";
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), hostile + ".mp3");
        await StartAsync(Transcription.Held, "--api-key", Key);
        await _api.DiscoverAsync();
        using var anonymous = new HttpClient { BaseAddress = _host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/async/stats")).StatusCode);
        var errors = new List<string>();
        var page = await OpenAsync(errors);
        var sentKeys = new List<string?>();
        page.Request += (_, r) =>
        {
            if (r.Url.EndsWith("/async/stats", StringComparison.Ordinal))
            {
                sentKeys.Add(r.Headers.GetValueOrDefault("x-functions-key"));
            }
        };

        await page.WaitForSelectorAsync("#key-dialog[open]");
        await page.FillAsync("#key-input", "wrong");
        await page.ClickAsync("#key-form button[type='submit']");
        await page.WaitForFunctionAsync("() => document.getElementById('key-dialog').open && document.getElementById('key-message').textContent.includes('refused')");
        await page.FillAsync("#key-input", Key);
        await page.ClickAsync("#key-form button[type='submit']");
        await page.WaitForFunctionAsync("() => document.querySelector(\"#stats dd[data-stat='episodes']\").textContent === '3'");

        Assert.False(await page.EvalOnSelectorAsync<bool>("#key-dialog", "d => d.open"));
        Assert.Equal(Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('episodepipeline.key')"));
        Assert.Equal(3, await page.Locator("#episodes tbody tr").CountAsync());
        Assert.Contains(hostile, await page.EvalOnSelectorAllAsync<string[]>("#episodes .title", "ts => ts.map(t => t.textContent)"));
        Assert.Equal(0, await page.Locator("#episodes img").CountAsync());
        Assert.Equal("none", await page.EvaluateAsync<string>("() => String(window.pwned ?? 'none')"));
        Assert.Contains("wrong", sentKeys);
        Assert.Equal(Key, sentKeys[^1]);

        // A reload in the same tab keeps the key: no prompt, no 401.
        var refused = 0;
        page.Response += (_, r) => refused += r.Status == 401 ? 1 : 0;
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => document.querySelector(\"#stats dd[data-stat='episodes']\").textContent === '3'");
        Assert.False(await page.EvalOnSelectorAsync<bool>("#key-dialog", "d => d.open"));
        Assert.Equal(0, refused);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Dashboard_HiddenTab_StopsPolling_UntilVisibleAgain()
    {
        await StartAsync(Transcription.Held);
        var errors = new List<string>();
        var page = await OpenAsync(errors);
        var polls = 0;
        page.Request += (_, r) => polls += r.Url.EndsWith("/async/stats", StringComparison.Ordinal) ? 1 : 0;
        await page.WaitForFunctionAsync("() => document.getElementById('updated').textContent.startsWith('Updated')");

        await page.EvaluateAsync("""
            () => {
              Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
              document.dispatchEvent(new Event('visibilitychange'));
            }
            """);
        await page.WaitForTimeoutAsync(500); // a request already under way may still finish
        var hidden = polls;
        await page.WaitForTimeoutAsync(4000);

        Assert.Equal(hidden, polls);
        Assert.Equal("Paused while this tab is hidden.", await page.TextContentAsync("#updated"));

        await page.EvaluateAsync("""
            () => {
              Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
              document.dispatchEvent(new Event('visibilitychange'));
            }
            """);
        await page.WaitForFunctionAsync("() => document.getElementById('updated').textContent.startsWith('Updated')");
        Assert.True(polls > hidden);
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"^Transcribing segment \d+/(\d+)$")]
    private static partial Regex SliceCount();
}
