using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Catalog;

/// <summary>What one discovery run saw.</summary>
public sealed record DiscoveryResult(
    [property: JsonPropertyName("found")] int Found,
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("missing")] int Missing,
    [property: JsonPropertyName("episodes")] IReadOnlyList<Episode> Episodes);
