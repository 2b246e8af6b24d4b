using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>What the Enrich stage produced: references and counts, never the enrichment itself.</summary>
public sealed record EnrichOutcome
{
    [JsonPropertyName("episode_id")] public required string EpisodeId { get; init; }

    /// <summary>An enrichment made earlier from the same transcript, model and prompt version was kept.</summary>
    [JsonPropertyName("reused")] public bool Reused { get; init; }

    /// <summary>Transcript parts analysed separately (1: the model read the whole transcript at once).</summary>
    [JsonPropertyName("parts")] public int Parts { get; init; }
    [JsonPropertyName("chapters")] public int Chapters { get; init; }
    [JsonPropertyName("quotes")] public int Quotes { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Artifact kind (<c>enrichment</c>) → path relative to the data folder.</summary>
    [JsonPropertyName("artifacts")] public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();
}
