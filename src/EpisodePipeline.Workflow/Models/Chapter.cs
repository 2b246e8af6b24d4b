using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>A chapter of an episode: where it starts (seconds), its title and a one-line summary.</summary>
public sealed record Chapter(
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("summary")] string Summary);
