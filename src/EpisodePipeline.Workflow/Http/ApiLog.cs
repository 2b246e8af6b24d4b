using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Http;

/// <summary>The HTTP layer's log messages. A client's mistake is at most one Debug line: no stack traces to flood the log.</summary>
internal static partial class ApiLog
{
    public const string Category = "EpisodePipeline.Http";

    [LoggerMessage(101, LogLevel.Debug, "Request body of {Method} {Path} could not be read ({StatusCode}): {Reason}")]
    public static partial void BodyUnreadable(this ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(102, LogLevel.Warning, "No job started for episode {EpisodeId}: {Reason}")]
    public static partial void JobNotStarted(this ILogger logger, string episodeId, string reason);
}
