using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>How far an episode has come. Ordered: a later stage implies every earlier one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Stage>))]
public enum Stage
{
    [JsonStringEnumMemberName("discovered")] Discovered,
    [JsonStringEnumMemberName("transcribed")] Transcribed,
    [JsonStringEnumMemberName("enriched")] Enriched,
    [JsonStringEnumMemberName("rendered")] Rendered,
}

/// <summary>Wire names of <see cref="Stage"/>, the same in JSON bodies and URLs.</summary>
public static class Stages
{
    public static string Name(Stage stage) => stage switch
    {
        Stage.Discovered => "discovered",
        Stage.Transcribed => "transcribed",
        Stage.Enriched => "enriched",
        Stage.Rendered => "rendered",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    public static bool TryParse(string? value, out Stage stage)
    {
        foreach (var candidate in Enum.GetValues<Stage>())
        {
            if (string.Equals(Name(candidate), value, StringComparison.Ordinal))
            {
                stage = candidate;
                return true;
            }
        }

        stage = default;
        return false;
    }
}

/// <summary>A media file found by discovery, as kept in the catalog.</summary>
public sealed record Episode
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("stage")] public Stage Stage { get; init; } = Stage.Discovered;
    [JsonPropertyName("media_path")] public required string MediaPath { get; init; }
    [JsonPropertyName("size_bytes")] public long SizeBytes { get; init; }
    [JsonPropertyName("modified_at")] public DateTimeOffset ModifiedAt { get; init; }
    [JsonPropertyName("duration_seconds")] public double? DurationSeconds { get; init; }
    [JsonPropertyName("discovered_at")] public DateTimeOffset DiscoveredAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True when the media file was gone at the last discovery; kept so its artifacts stay reachable.</summary>
    [JsonPropertyName("missing")] public bool Missing { get; init; }

    /// <summary>The job that last took this episode on; a submit while it is active joins it.</summary>
    [JsonPropertyName("active_job_id")] public string? ActiveJobId { get; init; }

    /// <summary>Artifact kind (<c>audio</c>, <c>transcript</c>, <c>transcript_text</c>) → path relative to the data folder.</summary>
    [JsonPropertyName("artifacts")] public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();
}
