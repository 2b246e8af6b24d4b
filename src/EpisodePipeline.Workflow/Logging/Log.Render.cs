using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Logging;

/// <summary>The Render stage's log messages (event ids 300–349).</summary>
public static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Episode {EpisodeId}: rendered {Segments} segments and {Chapters} chapters in {ElapsedMs:F0} ms")]
    public static partial void EpisodeRendered(this ILogger logger, string episodeId, int segments, int chapters, double elapsedMs);

    [LoggerMessage(301, LogLevel.Debug, "Episode {EpisodeId}: media published at {Target} ({How})")]
    public static partial void MediaPublished(this ILogger logger, string episodeId, string target, string how);
}
