using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Logging;

/// <summary>The job index's log messages (event ids 60–69).</summary>
public static partial class Log
{
    [LoggerMessage(60, LogLevel.Information, "Job index built from the store: {Jobs} jobs among {Instances} instances in {ElapsedMs:F0} ms")]
    public static partial void JobIndexBuilt(this ILogger logger, int jobs, int instances, double elapsedMs);

    [LoggerMessage(61, LogLevel.Debug, "Job index read every instance again: {Added} jobs added, {Removed} removed, in {ElapsedMs:F0} ms")]
    public static partial void JobIndexReconciled(this ILogger logger, int added, int removed, double elapsedMs);

    [LoggerMessage(62, LogLevel.Warning, "Job index could not read every instance again; it tries again in {IntervalMinutes} minutes")]
    public static partial void JobIndexReconcileFailed(this ILogger logger, Exception exception, double intervalMinutes);

    [LoggerMessage(63, LogLevel.Debug, "Job {JobId} is no longer in the store; dropped from the job index")]
    public static partial void JobForgotten(this ILogger logger, string jobId);

    [LoggerMessage(65, LogLevel.Warning, "Job index could not be built at start; the first job list or stats request builds it")]
    public static partial void JobIndexWarmupFailed(this ILogger logger, Exception exception);
}
