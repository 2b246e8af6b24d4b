using EpisodePipeline.Jobs;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using EpisodePipeline.Host;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.Extensions.DependencyInjection;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>The standalone host on the Azure Storage backend, against a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public class AzuriteHostTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(180);
    private readonly TestFolders _folders = new();

    public Task InitializeAsync() => Task.CompletedTask;

    private string[] Args(string taskHub, int segmentSeconds = 10, int parallel = 2) =>
    [
        .. TestFolders.AsArgs(_folders.Settings(TestModel.Path, segmentSeconds: segmentSeconds, parallel: parallel)),
        "--backend", "AzureStorage", "--storage", azurite.ConnectionString, "--task-hub", taskHub,
        "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:EpisodePipeline", "Information",
    ];

    [Fact]
    public async Task Walkthrough_OnAzurite_CompletesAndListsAndCounts()
    {
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "clip.mp4");
        await using var host = await StandaloneHost.StartAsync([.. Args("Walkthrough"), "--port", "0"]);
        using var api = new ApiClient(host.BaseAddress);
        await api.DiscoverAsync();

        var submit = await api.SubmitOkAsync("clip");
        var job = await api.WaitForJobAsync(submit.JobId, JobTimeout);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.NotEmpty(job.Result!.Value.GetProperty("transcript").GetProperty("segments").EnumerateArray());
        var list = (await api.Http.GetFromJsonAsync<JsonElement[]>("/async/jobs?limit=5"))!;
        Assert.Equal(submit.JobId, Assert.Single(list).GetProperty("job_id").GetString());
        var stats = await api.Http.GetFromJsonAsync<JsonElement>("/async/stats");
        Assert.Equal(1, stats.GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task HostKilledDuringTranscription_RestartsAndTheJobCompletes()
    {
        // 300 s in 30 slices, one at a time: several seconds of transcription to be caught in.
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(300), "long.mp3");
        var args = Args("KillTest", segmentSeconds: 10, parallel: 1);
        string jobId;
        await using (var first = await HostProcess.StartAsync(args, TimeSpan.FromSeconds(60)))
        {
            using var api = new ApiClient(first.BaseAddress);
            await api.DiscoverAsync();
            jobId = (await api.SubmitOkAsync("long")).JobId;
            var caught = await api.WaitForJobAsync(jobId, JobTimeout, j => j.Status is not (JobStatus.Queued or JobStatus.Running) || SegmentNumber(j.Message) >= 3);
            Assert.True(caught.Status == JobStatus.Running, $"the job was not caught while transcribing: {caught.Status} {caught.Message}");
            await first.KillAsync();
        }

        await using var second = await HostProcess.StartAsync(args, TimeSpan.FromSeconds(60));
        using var again = new ApiClient(second.BaseAddress);
        Jobs.JobResponse job;
        try
        {
            job = await again.WaitForJobAsync(jobId, JobTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nRestarted host said:\n{second.Output}", ex);
        }

        Assert.True(job.Status == JobStatus.Completed, $"job ended {job.Status}: {job.Error}\n{second.Output}");
        Assert.Equal(300, job.Result!.Value.GetProperty("duration").GetDouble(), 0.5);
        var segments = job.Result!.Value.GetProperty("transcript").GetProperty("segments").EnumerateArray().ToList();
        Assert.True(segments[^1].GetProperty("end").GetDouble() > 280, "the transcript should reach the end of the episode");
    }

    [Fact]
    public async Task ActivityLongerThanItsLock_IsRenewedRunsOnceAndLeavesNoMessage()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "short.mp3");
        await using var host = await StandaloneHost.StartAsync(
            [.. Args("LockRenewal"), "--port", "0", "--Host:ActivityLockSeconds", "6"],
            services =>
            {
                services.AddSingleton<GatedTranscriber>();
                services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
            });
        var gate = host.Services.GetRequiredService<GatedTranscriber>();
        using var api = new ApiClient(host.BaseAddress);
        await api.DiscoverAsync();
        var job = await api.SubmitOkAsync("short");

        // Hold the one transcription for three lock periods: unrenewed, its message would reappear twice.
        await Poll.UntilAsync(() => Task.FromResult(gate.Started), n => n == 1, JobTimeout, "the transcription to start");
        await Task.Delay(TimeSpan.FromSeconds(18));
        gate.OpenFully();
        var done = await api.WaitForJobAsync(job.JobId, JobTimeout);

        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal(1, gate.Started);
        Assert.True(host.ActivityLockRenewals >= 3, $"only {host.ActivityLockRenewals} renewals");
        var workItems = new QueueClient(azurite.ConnectionString, "lockrenewal-workitems");
        var properties = await workItems.GetPropertiesAsync();
        Assert.Equal(0, properties.Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task JobListAndStats_OnAzurite_ComeBackAfterARestart_AndPurgeRemovesTheJobs()
    {
        _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "short.mp3");
        string[] args = [.. Args("JobIndex"), "--port", "0"];
        string first;
        await using (var host = await StandaloneHost.StartAsync(args))
        {
            using var api = new ApiClient(host.BaseAddress);
            await api.DiscoverAsync();
            first = (await api.SubmitOkAsync("short")).JobId;
            Assert.Equal(JobStatus.Completed, (await api.WaitForJobAsync(first, JobTimeout)).Status);
        }

        await using var again = await StandaloneHost.StartAsync(args);
        using var restarted = new ApiClient(again.BaseAddress);
        var rebuilt = (await restarted.Http.GetFromJsonAsync<StatsResponse>("/async/stats"))!;
        var listed = (await restarted.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs?status=completed&episode_id=short"))!;
        var second = (await restarted.SubmitOkAsync("short")).JobId;
        await restarted.WaitForJobAsync(second, JobTimeout);
        var both = (await restarted.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs"))!;
        var client = again.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        var purged = await again.Services.GetRequiredService<JobIndex>().PurgeFinishedAsync(client, DateTimeOffset.UtcNow, CancellationToken.None);
        var afterPurge = (await restarted.Http.GetFromJsonAsync<StatsResponse>("/async/stats"))!;

        Assert.Equal((1, 1), (rebuilt.Completed, rebuilt.Total));
        Assert.Equal(first, Assert.Single(listed).JobId);
        Assert.Equal([second, first], both.Select(j => j.JobId));
        Assert.Equal(2, purged);
        Assert.Equal(0, afterPurge.Total);
        Assert.Null(await client.GetInstanceAsync(first));
        Assert.Empty((await restarted.Http.GetFromJsonAsync<JobResponse[]>("/async/jobs"))!);
    }

    /// <summary>3 for "Transcribing segment 3/30"; 0 for any other message.</summary>
    private static int SegmentNumber(string message) =>
        message.StartsWith("Transcribing segment ", StringComparison.Ordinal)
        && int.TryParse(message["Transcribing segment ".Length..].Split('/')[0], out var n) ? n : 0;

    public Task DisposeAsync()
    {
        _folders.Dispose();
        return Task.CompletedTask;
    }
}
