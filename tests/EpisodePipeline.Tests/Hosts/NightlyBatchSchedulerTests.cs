using EpisodePipeline.Host.Scheduling;
using EpisodePipeline.Jobs;
using EpisodePipeline.Options;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// The standalone host's Cronos scheduler on a fake clock (no sleeping): which occurrence it waits for, and the batch it
/// starts there, on Durable Task's in-process test host (an empty media folder, so each batch ends at once).
/// </summary>
public class NightlyBatchSchedulerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestFolders _folders = new();
    private readonly LogCapture _logs = new();
    private DurableTaskTestHost _host = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<(NightlyBatchScheduler Scheduler, FakeTimeProvider Clock)> StartAsync(DateTimeOffset now, TimeZoneInfo zone, string schedule = "0 0 2 * * *", bool enabled = true)
    {
        var settings = _folders.Settings(TestModel.Path);
        settings["Pipeline:Batch:Schedule"] = schedule;
        settings["Pipeline:Batch:Enabled"] = enabled ? "true" : "false";
        settings["Pipeline:Batch:TargetStage"] = "transcribed";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions { ConfigureServices = s => s.AddSingleton<IConfiguration>(configuration).AddEpisodePipeline() });

        var clock = new FakeTimeProvider(now);
        clock.SetLocalTimeZone(zone);
        var scheduler = new NightlyBatchScheduler(
            _host.Services.GetRequiredService<BatchJobs>(), _host.Client, _host.Services.GetRequiredService<IOptions<PipelineOptions>>(), clock,
            LoggerFactory.Create(l => l.AddProvider(_logs)).CreateLogger<NightlyBatchScheduler>());
        await scheduler.StartAsync(CancellationToken.None);
        return (scheduler, clock);
    }

    private static Task<DateTimeOffset?> WaitingForAsync(NightlyBatchScheduler scheduler, DateTimeOffset occurrence) =>
        Poll.UntilAsync(() => Task.FromResult(scheduler.NextRun), next => next == occurrence, Timeout, $"the scheduler to wait for {occurrence:O}", intervalMs: 10);

    private async Task<OrchestrationMetadata?> BatchAsync(DateTimeOffset occurrence) =>
        await _host.Client.GetInstanceAsync(BatchJobs.ScheduledJobId(occurrence));

    [Fact]
    public async Task Scheduler_StartsTheBatchForEachOccurrence_WhenTheClockReachesIt()
    {
        var (scheduler, clock) = await StartAsync(new DateTimeOffset(2026, 12, 1, 1, 59, 50, TimeSpan.Zero), TimeZoneInfo.Utc);
        var tonight = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

        await WaitingForAsync(scheduler, tonight);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(await BatchAsync(tonight));
        clock.Advance(TimeSpan.FromSeconds(1));

        await WaitingForAsync(scheduler, tonight.AddDays(1));
        var batch = await BatchAsync(tonight);
        Assert.Equal(BatchJobs.OrchestrationName, batch!.Name);
        Assert.Contains(_logs.Entries, e => e.Message.StartsWith("Next nightly batch at 2026-12-02T02:00:00", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromDays(1));
        await WaitingForAsync(scheduler, tonight.AddDays(2));
        Assert.NotNull(await BatchAsync(tonight.AddDays(1)));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_StartedAfterTonightsOccurrence_DoesNotRunItLate()
    {
        var tonight = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
        var (scheduler, _) = await StartAsync(tonight.AddSeconds(30), TimeZoneInfo.Utc);

        await WaitingForAsync(scheduler, tonight.AddDays(1));

        Assert.Null(await BatchAsync(tonight));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_ReadsTheExpressionInTheHostsTimeZone()
    {
        var plusThree = TimeZoneInfo.CreateCustomTimeZone("test+03", TimeSpan.FromHours(3), "test+03", "test+03");

        var (scheduler, _) = await StartAsync(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), plusThree, "0 30 2 * * 1-5");

        // 02:30 at UTC+3 on the next weekday: Tuesday 2026-12-01 has passed there (03:00 local), so Wednesday.
        await WaitingForAsync(scheduler, new DateTimeOffset(2026, 12, 2, 2, 30, 0, TimeSpan.FromHours(3)));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_Disabled_LetsTheOccurrencePassWithoutABatch()
    {
        var tonight = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
        var (scheduler, clock) = await StartAsync(tonight.AddSeconds(-5), TimeZoneInfo.Utc, enabled: false);

        await WaitingForAsync(scheduler, tonight);
        clock.Advance(TimeSpan.FromSeconds(5));
        await WaitingForAsync(scheduler, tonight.AddDays(1));

        Assert.Null(await BatchAsync(tonight));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("is not started: Pipeline:Batch:Enabled is false", StringComparison.Ordinal));
        await scheduler.StopAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }
}
