using Cronos;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Scheduling;

/// <summary>
/// The standalone host's nightly batch timer: the same NCRONTAB expression as the Functions timer
/// (<c>Pipeline:Batch:Schedule</c>, six fields, seconds first, host local time), read by Cronos. At each occurrence it
/// starts the batch for that time (<see cref="BatchJobs.StartScheduledAsync"/>: once per time, even with two hosts on
/// one task hub). Occurrences before the host started are not run late, as on Functions.
/// </summary>
internal sealed class NightlyBatchScheduler(
    BatchJobs batches,
    DurableTaskClient client,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<NightlyBatchScheduler> logger) : BackgroundService
{
    // A timer cannot wait much longer than 49 days; a sparse schedule waits in steps and reads the clock again.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>The occurrence the scheduler is waiting for; null before it has looked, or when the schedule has no further one.</summary>
    public DateTimeOffset? NextRun { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = options.Value.Batch;
        var schedule = CronExpression.Parse(batch.Schedule, CronFormat.IncludeSeconds);
        var zone = time.LocalTimeZone;

        // From now, not from the last run: what was due while the host was down stays missed.
        var from = time.GetUtcNow();
        while (schedule.GetNextOccurrence(from, zone) is { } due)
        {
            NextRun = due;
            logger.BatchNextRun(due, batch.Schedule, zone.Id);
            for (var now = time.GetUtcNow(); now < due; now = time.GetUtcNow())
            {
                var wait = due - now;
                await Task.Delay(wait < LongestWait ? wait : LongestWait, time, stoppingToken);
            }

            await StartAsync(due, batch.Enabled, stoppingToken);

            // After a sleep or a clock jump, the occurrences passed meanwhile are missed too: one late start at most.
            var after = time.GetUtcNow();
            from = after > due ? after : due;
        }

        NextRun = null;
    }

    private async Task StartAsync(DateTimeOffset due, bool enabled, CancellationToken stoppingToken)
    {
        if (!enabled)
        {
            logger.BatchOccurrenceSkipped(due, BatchJobs.DisabledReason);
            return;
        }

        try
        {
            await batches.StartScheduledAsync(client, due, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next occurrence must still come: one failed start (task hub unreachable) is logged, not fatal.
            logger.BatchStartFailed(due, ex.Message);
        }
    }
}
