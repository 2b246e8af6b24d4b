using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>A notable line of the episode as it occurs in the transcript, with its start and end in seconds.</summary>
public sealed record Quote(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End);
