using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Logging;

/// <summary>Job control's log messages: cancel, retry, purge and retention (event ids 50–59).</summary>
public static partial class Log
{
    [LoggerMessage(50, LogLevel.Information, "Job {JobId} for episode {EpisodeId} cancelled by request")]
    public static partial void JobCancelled(this ILogger logger, string jobId, string? episodeId);

    [LoggerMessage(51, LogLevel.Information, "Job {JobId} for episode {EpisodeId} retries job {RetryOf}")]
    public static partial void JobRetried(this ILogger logger, string jobId, string episodeId, string retryOf);

    [LoggerMessage(52, LogLevel.Information, "Purged {Count} finished job(s) created before {Before:O}")]
    public static partial void JobsPurged(this ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(53, LogLevel.Information, "Job history is kept forever (Pipeline:Jobs:RetentionDays is 0)")]
    public static partial void JobRetentionOff(this ILogger logger);

    [LoggerMessage(54, LogLevel.Warning, "Purging finished jobs created more than {Days} day(s) ago failed; the next pass tries again: {Reason}")]
    public static partial void JobRetentionFailed(this ILogger logger, int days, string reason);
}
