using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Logging;

/// <summary>The nightly batch's log messages (event ids 70–79): starting it, its episodes, its schedule.</summary>
public static partial class Log
{
    [LoggerMessage(70, LogLevel.Information, "Batch {BatchId} scheduled ({Trigger}) to stage {TargetStage}, {MaxParallelJobs} job(s) at once")]
    public static partial void BatchScheduled(this ILogger logger, string batchId, string trigger, string targetStage, int maxParallelJobs);

    [LoggerMessage(71, LogLevel.Information, "Batch {BatchId} for {ScheduledFor:O} exists already; this trigger starts nothing")]
    public static partial void BatchAlreadyStarted(this ILogger logger, string batchId, DateTimeOffset scheduledFor);

    [LoggerMessage(72, LogLevel.Information, "Batch {BatchId}: discovery found {Found} media files; {Ready} episode(s) to take to {TargetStage}, {NotReady} not ready")]
    public static partial void BatchPlanned(this ILogger logger, string batchId, int found, int ready, int notReady, string targetStage);

    [LoggerMessage(73, LogLevel.Information, "Batch {BatchId} runs job {JobId} for episode {EpisodeId}")]
    public static partial void BatchJobClaimed(this ILogger logger, string batchId, string jobId, string episodeId);

    [LoggerMessage(EventId = 74, Message = "Batch {BatchId}: episode {EpisodeId} {Outcome}: {Reason}")]
    public static partial void BatchEpisodeNotDone(this ILogger logger, LogLevel level, string batchId, string episodeId, string outcome, string reason);

    [LoggerMessage(75, LogLevel.Information, "Batch {BatchId} done: {Succeeded} succeeded, {Failed} failed, {Skipped} skipped (target {TargetStage})")]
    public static partial void BatchCompleted(this ILogger logger, string batchId, int succeeded, int failed, int skipped, string targetStage);

    [LoggerMessage(76, LogLevel.Error, "Batch {BatchId} failed: {Cause}")]
    public static partial void BatchFailed(this ILogger logger, string batchId, string cause);

    [LoggerMessage(77, LogLevel.Information, "The nightly batch due at {ScheduledFor:O} is not started: {Reason}")]
    public static partial void BatchOccurrenceSkipped(this ILogger logger, DateTimeOffset scheduledFor, string reason);

    [LoggerMessage(78, LogLevel.Information, "Next nightly batch at {Next:O} (Pipeline:Batch:Schedule '{Schedule}', time zone {TimeZone})")]
    public static partial void BatchNextRun(this ILogger logger, DateTimeOffset next, string schedule, string timeZone);

    [LoggerMessage(79, LogLevel.Error, "The nightly batch due at {ScheduledFor:O} could not be started: {Reason}")]
    public static partial void BatchStartFailed(this ILogger logger, DateTimeOffset scheduledFor, string reason);
}
