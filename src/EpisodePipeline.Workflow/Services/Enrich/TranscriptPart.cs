using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Enrich;

/// <summary>A run of consecutive transcript segments analysed by one model call; times in seconds.</summary>
public sealed record TranscriptPart(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("first_segment")] int FirstSegment,
    [property: JsonPropertyName("segment_count")] int SegmentCount,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End,
    [property: JsonPropertyName("tokens")] int Tokens);
