using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Catalog;

/// <summary>A symbolic link in an input folder that leads nowhere (its target is gone, or links loop).</summary>
public sealed record DanglingLink(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("target")] string Target);
