using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>
/// A planned slice of the episode's audio, transcribed by one activity. It reads
/// <see cref="Start"/>..<see cref="End"/>, which overlaps its neighbours, and owns the speech
/// whose midpoint lies in <see cref="CoreStart"/>..<see cref="CoreEnd"/>.
/// </summary>
public sealed record AudioSlice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End,
    [property: JsonPropertyName("core_start")] double CoreStart,
    [property: JsonPropertyName("core_end")] double CoreEnd);
