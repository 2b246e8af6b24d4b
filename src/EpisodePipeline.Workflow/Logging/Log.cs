using EpisodePipeline.Jobs;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Logging;

/// <summary>The workflow's log messages: source-generated <see cref="ILogger"/> extension methods with structured fields.</summary>
public static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Loaded Whisper model {ModelPath}")]
    public static partial void ModelLoaded(this ILogger logger, string modelPath);

    [LoggerMessage(2, LogLevel.Information, "Discovery found {Found} episodes ({Added} new, {Changed} changed, {Missing} missing)")]
    public static partial void Discovered(this ILogger logger, int found, int added, int changed, int missing);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} for episode {EpisodeId} scheduled to stage {TargetStage}")]
    public static partial void JobScheduled(this ILogger logger, string jobId, string episodeId, string targetStage);

    [LoggerMessage(4, LogLevel.Information, "Episode {EpisodeId}: extracted {DurationSeconds:F1} s of audio")]
    public static partial void AudioExtracted(this ILogger logger, string episodeId, double durationSeconds);

    [LoggerMessage(5, LogLevel.Information, "Episode {EpisodeId}: segment {Index} gave {Count} transcript segments")]
    public static partial void SegmentTranscribed(this ILogger logger, string episodeId, int index, int count);

    [LoggerMessage(6, LogLevel.Information, "Episode {EpisodeId}: transcript written with {Count} segments")]
    public static partial void TranscriptWritten(this ILogger logger, string episodeId, int count);

    [LoggerMessage(7, LogLevel.Information, "Episode {EpisodeId}: reusing transcript made from the same media and settings")]
    public static partial void TranscriptReused(this ILogger logger, string episodeId);

    [LoggerMessage(8, LogLevel.Information, "Job {JobId} for episode {EpisodeId} is at stage {Phase} ({Progress}%)")]
    public static partial void Progress(this ILogger logger, string jobId, string episodeId, JobPhase phase, double progress);

    [LoggerMessage(9, LogLevel.Warning, "Media file of episode {EpisodeId} is gone: {MediaPath}")]
    public static partial void MediaMissing(this ILogger logger, string episodeId, string mediaPath);

    [LoggerMessage(10, LogLevel.Information, "Episode {EpisodeId}: slice {Index} ({Start:F1}-{End:F1} s) is silent; not sent to Whisper")]
    public static partial void SilentSliceSkipped(this ILogger logger, string episodeId, int index, double start, double end);

    [LoggerMessage(11, LogLevel.Information, "Whisper: {Runtime} runtime, {Processors} processor(s) x {Threads} thread(s) on {Cores} cores, {ParallelSegments} slice(s) per job in parallel, {SegmentSeconds} s slices")]
    public static partial void WhisperSettings(this ILogger logger, string runtime, int processors, int threads, int cores, int parallelSegments, int segmentSeconds);

    [LoggerMessage(40, LogLevel.Information, "Job {JobId}: webhook {WebhookId} delivered to {Receiver} (HTTP {Status})")]
    public static partial void WebhookDelivered(this ILogger logger, string jobId, string webhookId, string receiver, int status);

    [LoggerMessage(41, LogLevel.Warning, "Job {JobId}: webhook {WebhookId} attempt failed: {Reason}")]
    public static partial void WebhookAttemptFailed(this ILogger logger, string jobId, string webhookId, string reason);

    [LoggerMessage(42, LogLevel.Warning, "Job {JobId}: webhook {WebhookId} not sent: {Reason}")]
    public static partial void WebhookRefused(this ILogger logger, string jobId, string webhookId, string reason);

    [LoggerMessage(43, LogLevel.Warning, "Job {JobId}: webhook {WebhookId} not delivered after {Attempts} attempt(s): {Reason}")]
    public static partial void WebhookGaveUp(this ILogger logger, string jobId, string webhookId, int attempts, string reason);
}
