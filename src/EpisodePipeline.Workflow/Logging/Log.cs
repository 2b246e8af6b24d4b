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

    [LoggerMessage(10, LogLevel.Warning, "Catalog {CatalogPath} cannot be read ({Problem}); starting empty, the file is kept as {CopyPath}")]
    public static partial void CatalogUnreadable(this ILogger logger, string catalogPath, string copyPath, string problem);

    [LoggerMessage(11, LogLevel.Warning, "Catalog {CatalogPath}: loaded {Count} sound episodes, dropped what could not be read ({Problems}); the file as it was is kept as {CopyPath}")]
    public static partial void CatalogRepaired(this ILogger logger, string catalogPath, string copyPath, int count, string problems);

    [LoggerMessage(12, LogLevel.Information, "Discovery probed {Count} new or changed files in {ElapsedMs} ms")]
    public static partial void Probed(this ILogger logger, int count, long elapsedMs);

    [LoggerMessage(13, LogLevel.Warning, "Discovery: link {LinkPath} leads nowhere ({Target})")]
    public static partial void DanglingLink(this ILogger logger, string linkPath, string target);
}
