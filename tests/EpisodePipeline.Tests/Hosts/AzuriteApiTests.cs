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

/// <summary>The HTTP contract's edge cases on the Azure Storage backend, where ids are case-sensitive and every query is a storage call.</summary>
[Collection(AzuriteCollection.Name)]
public class AzuriteApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TestFolders _folders = new();
    private StandaloneHost _host = null!;
    private ApiClient _api = null!;
    private readonly HeldTranscriber _held = new();

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "podcast.mp3");
    }

    private async Task StartAsync(string taskHub)
    {
        _host = await StandaloneHost.StartAsync(
            [
                .. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0",
                "--backend", "AzureStorage", "--storage", azurite.ConnectionString, "--task-hub", taskHub,
                "--Logging:LogLevel:Default", "Warning",
            ],
            services =>
            {
                // Jobs stay running, so every submit below meets the same active job.
                services.AddSingleton<ITranscriber>(_held);
            });
        _api = new ApiClient(_host.BaseAddress);
        await _api.DiscoverAsync();
    }

    [Fact]
    public async Task HostileRequests_NeverGetA5xx_OnAzureStorage()
    {
        await StartAsync("HostileApi");

        var answers = await HostileRequests.SendAllAsync(_api.Http, "podcast");

        Assert.True(answers.Count >= 125, $"only {answers.Count} requests");
        Assert.All(answers, a => Assert.True(a.Status < 500, $"{a.Request} → {a.Status} {a.Body}"));
    }

    [Fact]
    public async Task ConcurrentSubmits_AndUpperCaseJobIds_OnAzureStorage()
    {
        await StartAsync("ConcurrentApi");

        var submits = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _api.SubmitOkAsync("podcast")));
        var jobId = Assert.Single(submits.Select(s => s.JobId).Distinct());
        var upper = await _api.JobAsync(jobId.ToUpperInvariant());

        Assert.Single(submits, s => !s.Existing);
        Assert.Single((await _api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs"))!);
        Assert.Equal(jobId, upper.JobId);
    }

    [Fact]
    public async Task CancelRetryAndPurge_OnAzureStorage()
    {
        await StartAsync("JobControlApi");
        var timeout = TimeSpan.FromSeconds(60);
        var submit = await _api.SubmitOkAsync("podcast");
        await _api.WaitForJobAsync(submit.JobId, timeout, j => j.Status == JobStatus.Running);

        using var cancel = await _api.Http.DeleteAsync(new Uri(ApiRoutes.JobPath(submit.JobId.ToUpperInvariant()), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(JobStatus.Cancelled, (await _api.WaitForJobAsync(submit.JobId, timeout)).Status);

        using var retry = await _api.Http.PostAsync(new Uri(ApiRoutes.JobRetryPath(submit.JobId), UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var retried = (await retry.Content.ReadFromJsonAsync<SubmitResponse>())!;
        Assert.Equal(submit.JobId, retried.RetryOf);
        Assert.Equal(submit.JobId, (await _api.WaitForJobAsync(retried.JobId, timeout, j => j.Status == JobStatus.Running)).RetryOf);

        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        using var purge = await _api.Http.DeleteAsync(new Uri($"/async/jobs?before={before}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<PurgeResponse>())!.Purged);
        using var gone = await _api.Http.GetAsync(new Uri(ApiRoutes.JobPath(submit.JobId), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(JobStatus.Running, (await _api.JobAsync(retried.JobId)).Status);
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
