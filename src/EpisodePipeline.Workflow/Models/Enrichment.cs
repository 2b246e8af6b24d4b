using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>
/// What the local LLM made of a transcript, validated and stored as <c>enrichment.json</c> beside it.
/// Times are seconds in the episode's own timeline (the transcript's).
/// </summary>
public sealed record Enrichment
{
    [JsonPropertyName("episode_id")] public required string EpisodeId { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }

    /// <summary>One line.</summary>
    [JsonPropertyName("description")] public required string Description { get; init; }

    /// <summary>A few paragraphs separated by blank lines.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }

    /// <summary>Start at 0, strictly increasing, inside the episode.</summary>
    [JsonPropertyName("chapters")] public required IReadOnlyList<Chapter> Chapters { get; init; }
    [JsonPropertyName("keywords")] public required IReadOnlyList<string> Keywords { get; init; }

    /// <summary>Notable lines that occur in the transcript, with where they occur.</summary>
    [JsonPropertyName("quotes")] public required IReadOnlyList<Quote> Quotes { get; init; }

    /// <summary>The Ollama model that wrote it, e.g. <c>llama3.1:8b</c>.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Transcript fingerprint + model + prompt version: equal fingerprints allow reuse.</summary>
    [JsonPropertyName("fingerprint")] public required string Fingerprint { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }
}
