using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>One stretch of recognised speech, in seconds from the start of the episode.</summary>
public sealed record TranscriptSegment(
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End,
    [property: JsonPropertyName("text")] string Text);
