using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// One rendered episode as the site index and the feed list it, kept as <c>episode.json</c> in its page
/// folder, so both are rebuilt from the output folder alone.
/// </summary>
public sealed record SiteEntry
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("language")] public required string Language { get; init; }

    /// <summary>When the episode was published: the media file's modification time (newest first in the index and feed).</summary>
    [JsonPropertyName("published_at")] public DateTimeOffset PublishedAt { get; init; }
    [JsonPropertyName("duration_seconds")] public double DurationSeconds { get; init; }

    /// <summary>The media file's name in the page folder (<c>media.mp4</c>).</summary>
    [JsonPropertyName("media_file")] public required string MediaFile { get; init; }
    [JsonPropertyName("media_length")] public long MediaLength { get; init; }
    [JsonPropertyName("has_chapters")] public bool HasChapters { get; init; }
    [JsonPropertyName("rendered_at")] public DateTimeOffset RenderedAt { get; init; }
}
