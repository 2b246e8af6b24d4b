using EpisodePipeline.Host;
using EpisodePipeline.Jobs;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>An operator reading the standalone host's log sees every failed job: job, episode, step and cause.</summary>
public class FailedJobLogTests : IAsyncLifetime
{
    private readonly TestFolders _folders = new();
    private readonly CapturingLoggerProvider _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FailedJob_StandaloneHost_LogsJobEpisodeStepAndCause()
    {
        var media = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "podcast.mp3");
        await using var host = await StandaloneHost.StartAsync(
            [.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0"],
            services => services.AddLogging(l => l.AddProvider(_logs)));
        using var api = new ApiClient(host.BaseAddress);
        await api.DiscoverAsync();
        File.Copy(await TestMedia.SpeechAudioAsync(20), media, overwrite: true); // replaced after discovery

        var submit = await api.SubmitOkAsync("podcast");
        var job = await api.WaitForJobAsync(submit.JobId, TimeSpan.FromSeconds(120));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("changed since discovery", job.Error, StringComparison.Ordinal);
        var line = Assert.Single(_logs.Lines, l => l.Message.StartsWith($"Job {submit.JobId} for episode podcast failed while preparing: ", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.EndsWith(job.Error!, line.Message, StringComparison.Ordinal);
        Assert.Equal("EpisodePipeline.Orchestrations.ProcessEpisodeOrchestrator", line.Category);
    }

    public Task DisposeAsync()
    {
        _folders.Dispose();
        return Task.CompletedTask;
    }
}
