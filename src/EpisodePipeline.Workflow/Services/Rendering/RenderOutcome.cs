using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// What the Render stage published for one episode: references only (paths and URLs), never content,
/// so it can travel through orchestration history.
/// </summary>
public sealed record RenderOutcome
{
    [JsonPropertyName("episode_id")] public required string EpisodeId { get; init; }

    /// <summary>The page on the hosts (<c>/site/episodes/&lt;id&gt;/</c>): prefix it with the host's address.</summary>
    [JsonPropertyName("page_url")] public required string PageUrl { get; init; }

    /// <summary>The page under <c>Pipeline:Render:BaseUrl</c>, as the feed links it.</summary>
    [JsonPropertyName("public_url")] public required string PublicUrl { get; init; }

    [JsonPropertyName("segments")] public int Segments { get; init; }
    [JsonPropertyName("chapters")] public int Chapters { get; init; }

    /// <summary>False when there was no <c>enrichment.json</c>: the page was made from the transcript alone.</summary>
    [JsonPropertyName("enriched")] public bool Enriched { get; init; }

    /// <summary>Kind (<see cref="RenderedFiles"/>) → path relative to the output folder.</summary>
    [JsonPropertyName("files")] public required IReadOnlyDictionary<string, string> Files { get; init; }

    /// <summary>Kind (<see cref="RenderedFiles"/>) → URL on the hosts (<c>/site/…</c>).</summary>
    [JsonPropertyName("urls")] public required IReadOnlyDictionary<string, string> Urls { get; init; }
}
