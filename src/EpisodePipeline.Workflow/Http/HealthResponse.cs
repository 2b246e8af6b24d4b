using System.Text.Json.Serialization;

namespace EpisodePipeline.Http;

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("backend")] string Backend);
