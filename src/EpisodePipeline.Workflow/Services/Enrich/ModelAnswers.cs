using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Enrich;

// What the model writes, before validation: times are the [mm:ss] it read, as text.

/// <summary>The final answer: becomes <see cref="Models.Enrichment"/> once validated.</summary>
internal sealed record EnrichmentDraft(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("chapters")] IReadOnlyList<DraftChapter> Chapters,
    [property: JsonPropertyName("keywords")] IReadOnlyList<string> Keywords,
    [property: JsonPropertyName("quotes")] IReadOnlyList<DraftQuote> Quotes);

/// <summary>A map call's answer about one part of the transcript, and the reduce call's input.</summary>
internal sealed record PartNotes(
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("chapters")] IReadOnlyList<DraftChapter> Chapters,
    [property: JsonPropertyName("keywords")] IReadOnlyList<string> Keywords,
    [property: JsonPropertyName("quotes")] IReadOnlyList<DraftQuote> Quotes);

internal sealed record DraftChapter(
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("summary")] string Summary);

internal sealed record DraftQuote(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("at")] string At);
