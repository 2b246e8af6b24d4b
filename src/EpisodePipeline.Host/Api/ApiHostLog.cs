namespace EpisodePipeline.Host.Api;

/// <summary>The standalone host's own HTTP log lines (event ids 80–89). A client's excess is one Debug line, never more.</summary>
internal static partial class ApiHostLog
{
    [LoggerMessage(80, LogLevel.Debug, "Refused {Method} {Path} from {Client}: the {Policy} rate limit is reached; retry after {RetryAfterSeconds} s")]
    public static partial void RequestRefused(this ILogger logger, string method, string path, string client, string policy, int retryAfterSeconds);
}
