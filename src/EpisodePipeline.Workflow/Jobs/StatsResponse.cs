using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary><c>GET /async/stats</c>.</summary>
public sealed record StatsResponse(
    [property: JsonPropertyName("queued")] int Queued,
    [property: JsonPropertyName("running")] int Running,
    [property: JsonPropertyName("completed")] int Completed,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("cancelled")] int Cancelled,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("max_workers")] int MaxWorkers,
    [property: JsonPropertyName("episodes")] int Episodes);
