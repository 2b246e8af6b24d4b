using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Answer to <c>DELETE /async/jobs?before=</c>: how many finished jobs were purged, and the instant (UTC) they were created before.</summary>
public sealed record PurgeResponse(
    [property: JsonPropertyName("purged")] int Purged,
    [property: JsonPropertyName("before")] DateTimeOffset Before);
