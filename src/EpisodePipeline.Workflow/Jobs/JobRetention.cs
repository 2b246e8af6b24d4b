using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Purges finished jobs from the durable store: by hand (<c>DELETE /async/jobs?before=</c>) and, for jobs older
/// than <see cref="JobsOptions.RetentionDays"/>, every <see cref="Interval"/> (<see cref="JobRetentionService"/> on
/// the standalone host, a timer function in the Functions app). Only the store's history goes; artifacts stay.
/// </summary>
public sealed class JobRetention(JobIndex index, IOptions<PipelineOptions> options, TimeProvider time, ILogger<JobRetention> logger)
{
    /// <summary>How often expired jobs are purged.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary><see cref="Interval"/> as the Functions timer's NCRONTAB: every hour, on the hour.</summary>
    public const string Schedule = "0 0 * * * *";

    /// <summary>
    /// Purges the jobs older than <see cref="JobsOptions.RetentionDays"/> and logs how many; nothing when retention
    /// is off (0). Failures propagate to the caller.
    /// </summary>
    /// <returns>How many jobs were purged; null when retention is off.</returns>
    public async Task<int?> PurgeExpiredAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var days = options.Value.Jobs.RetentionDays;
        if (days == 0)
        {
            return null;
        }

        var before = time.GetUtcNow() - TimeSpan.FromDays(days);
        var purged = await index.PurgeFinishedAsync(client, before, cancellationToken);
        logger.JobsPurged(purged, before);
        return purged;
    }
}
