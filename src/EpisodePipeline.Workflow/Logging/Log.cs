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

    [LoggerMessage(4, LogLevel.Information, "Episode {EpisodeId}: audio track {Track} decoded to {DecodedSeconds:F1} s (starts at {StartSeconds:F1} s, container declares {DeclaredSeconds} s)")]
    public static partial void AudioExtracted(this ILogger logger, string episodeId, int track, double decodedSeconds, double startSeconds, double? declaredSeconds);

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

    [LoggerMessage(10, LogLevel.Warning, "Catalog {CatalogPath} cannot be read ({Problem}); starting empty, the file is kept as {CopyPath}")]
    public static partial void CatalogUnreadable(this ILogger logger, string catalogPath, string copyPath, string problem);

    [LoggerMessage(11, LogLevel.Warning, "Catalog {CatalogPath}: loaded {Count} sound episodes, dropped what could not be read ({Problems}); the file as it was is kept as {CopyPath}")]
    public static partial void CatalogRepaired(this ILogger logger, string catalogPath, string copyPath, int count, string problems);

    [LoggerMessage(12, LogLevel.Information, "Discovery probed {Count} new or changed files in {ElapsedMs} ms")]
    public static partial void Probed(this ILogger logger, int count, long elapsedMs);

    [LoggerMessage(13, LogLevel.Warning, "Discovery: link {LinkPath} leads nowhere ({Target})")]
    public static partial void DanglingLink(this ILogger logger, string linkPath, string target);

    [LoggerMessage(14, LogLevel.Information, "Episode {EpisodeId}: slice {Index} ({Start:F1}-{End:F1} s) is silent; not sent to Whisper")]
    public static partial void SilentSliceSkipped(this ILogger logger, string episodeId, int index, double start, double end);

    [LoggerMessage(16, LogLevel.Information, "Episode {EpisodeId}: segment {Index} reused, finished by an earlier job from the same media and settings")]
    public static partial void SliceReused(this ILogger logger, string episodeId, int index);

    [LoggerMessage(15, LogLevel.Information, "Whisper: {Runtime} runtime, {Processors} processor(s) x {Threads} thread(s) on {Cores} cores, {ParallelSegments} slice(s) per job in parallel, {SegmentSeconds} s slices")]
    public static partial void WhisperSettings(this ILogger logger, string runtime, int processors, int threads, int cores, int parallelSegments, int segmentSeconds);

    [LoggerMessage(20, LogLevel.Information, "Ollama at {Url} answers and has model {Model}")]
    public static partial void OllamaReady(this ILogger logger, string url, string model);

    [LoggerMessage(21, LogLevel.Information, "Episode {EpisodeId}: reusing the enrichment made from the same transcript, model and prompts")]
    public static partial void EnrichmentReused(this ILogger logger, string episodeId);

    [LoggerMessage(22, LogLevel.Information, "Episode {EpisodeId}: transcript of {Tokens} estimated tokens in {Parts} part(s) for a {ContextTokens}-token context")]
    public static partial void EnrichmentPlanned(this ILogger logger, string episodeId, int tokens, int parts, int contextTokens);

    [LoggerMessage(23, LogLevel.Warning, "Episode {EpisodeId}: {What} rejected (attempt {Attempt}/{Attempts}): {Problems}")]
    public static partial void AnswerRejected(this ILogger logger, string episodeId, string what, int attempt, int attempts, string problems);

    [LoggerMessage(24, LogLevel.Information, "Episode {EpisodeId}: notes on part {Part} written ({Chapters} chapter and {Quotes} quote candidates)")]
    public static partial void PartNotesWritten(this ILogger logger, string episodeId, int part, int chapters, int quotes);

    [LoggerMessage(25, LogLevel.Information, "Episode {EpisodeId}: notes on part {Part} reused from an earlier job")]
    public static partial void PartNotesReused(this ILogger logger, string episodeId, int part);

    [LoggerMessage(26, LogLevel.Information, "Episode {EpisodeId}: notes of {Parts} parts do not fit the context; combined into {Groups}")]
    public static partial void NotesCombined(this ILogger logger, string episodeId, int parts, int groups);

    [LoggerMessage(27, LogLevel.Information, "Episode {EpisodeId}: enrichment written ({Chapters} chapters, {Quotes} quotes)")]
    public static partial void EnrichmentWritten(this ILogger logger, string episodeId, int chapters, int quotes);

    // 30-39: the job side of media (extraction, temporary files, failed jobs).

    [LoggerMessage(EventId = 30, Message = "Job {JobId} for episode {EpisodeId} failed while {Stage}: {Cause}")]
    public static partial void JobFailed(this ILogger logger, LogLevel level, string jobId, string episodeId, string stage, string cause);

    [LoggerMessage(31, LogLevel.Warning, "Episode {EpisodeId}: {Warning}")]
    public static partial void MediaWarning(this ILogger logger, string episodeId, string warning);

    [LoggerMessage(32, LogLevel.Information, "Removed {Count} stale temporary files under {DataFolder}")]
    public static partial void TempFilesRemoved(this ILogger logger, int count, string dataFolder);

    [LoggerMessage(33, LogLevel.Warning, "Could not remove stale temporary file {Path}: {Reason}")]
    public static partial void TempFileNotRemoved(this ILogger logger, string path, string reason);

    [LoggerMessage(40, LogLevel.Information, "Job {JobId}: webhook {WebhookId} delivered to {Receiver} (HTTP {Status})")]
    public static partial void WebhookDelivered(this ILogger logger, string jobId, string webhookId, string receiver, int status);

    [LoggerMessage(41, LogLevel.Warning, "Job {JobId}: webhook {WebhookId} attempt failed: {Reason}")]
    public static partial void WebhookAttemptFailed(this ILogger logger, string jobId, string webhookId, string reason);

    [LoggerMessage(42, LogLevel.Warning, "Job {JobId}: webhook {WebhookId} not sent: {Reason}")]
    public static partial void WebhookRefused(this ILogger logger, string jobId, string webhookId, string reason);

    [LoggerMessage(43, LogLevel.Warning, "Job {JobId}: webhook {WebhookId} not delivered after {Attempts} attempt(s): {Reason}")]
    public static partial void WebhookGaveUp(this ILogger logger, string jobId, string webhookId, int attempts, string reason);
}
