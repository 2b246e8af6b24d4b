using Cronos;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Functions.Functions;

/// <summary>
/// The nightly batch's timer: the Functions host fires it on the schedule in the app setting <c>Pipeline:Batch:Schedule</c>
/// (<c>Pipeline__Batch__Schedule</c>), and it starts the batch for that scheduled time (<see cref="BatchJobs.StartScheduledAsync"/>):
/// a second trigger for the same time, on this host or another sharing the task hub, starts nothing.
/// </summary>
public sealed class BatchTimerFunctions(BatchJobs batches, IOptions<PipelineOptions> options, TimeProvider time, ILogger<BatchTimerFunctions> logger)
{
    /// <summary>The timer's schedule: a binding expression the Functions host resolves from its app settings.</summary>
    public const string Schedule = "%Pipeline:Batch:Schedule%";

    [Function(nameof(NightlyBatchTimer))]
    public async Task NightlyBatchTimer(
        [TimerTrigger(Schedule, UseMonitor = true)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var batch = options.Value.Batch;
        var cron = CronExpression.Parse(batch.Schedule, CronFormat.IncludeSeconds);
        var scheduledFor = ScheduledInstant(timer, cron, time.GetUtcNow(), time.LocalTimeZone);
        if (!batch.Enabled)
        {
            logger.BatchOccurrenceSkipped(scheduledFor, BatchJobs.DisabledReason);
            return;
        }

        if (timer.IsPastDue)
        {
            // The host was down at that time; the standalone host does not run missed batches either (README).
            logger.BatchOccurrenceSkipped(scheduledFor, $"the host was down at that time, and missed batches are not started late; the next one is due at {cron.GetNextOccurrence(time.GetUtcNow(), time.LocalTimeZone):O}.");
            return;
        }

        await batches.StartScheduledAsync(client, scheduledFor, cancellationToken);
    }

    /// <summary>
    /// The occurrence this invocation is for. With schedule monitoring the host passes the status from before the
    /// invocation, whose <see cref="ScheduleStatus.Next"/> is the occurrence now due (host local time). Without it, the
    /// schedule's latest occurrence in the minute up to <paramref name="now"/> (the timer may fire a moment early), else
    /// <paramref name="now"/> itself.
    /// </summary>
    public static DateTimeOffset ScheduledInstant(TimerInfo timer, CronExpression schedule, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (timer.ScheduleStatus is { Next: var next } && next != default)
        {
            return next.Kind == DateTimeKind.Utc
                ? new DateTimeOffset(next)
                : new DateTimeOffset(next, zone.GetUtcOffset(DateTime.SpecifyKind(next, DateTimeKind.Unspecified)));
        }

        return schedule.GetOccurrences(now.AddMinutes(-1), now.AddSeconds(1), zone, fromInclusive: true, toInclusive: true).LastOrDefault(now);
    }
}
