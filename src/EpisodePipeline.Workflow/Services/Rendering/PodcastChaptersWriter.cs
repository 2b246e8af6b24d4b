using System.Text.Json;
using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// JSON Chapters 1.2.0 of the Podcasting 2.0 namespace
/// (https://github.com/Podcastindex-org/podcast-namespace/blob/main/chapters/jsonChapters.md), referenced by
/// <c>&lt;podcast:chapters type="application/json+chapters"&gt;</c>: <c>version</c> and <c>chapters</c> are required,
/// each chapter needs <c>startTime</c> (seconds, float); <c>title</c>, <c>endTime</c> and the episode's
/// <c>title</c>/<c>podcastName</c>/<c>description</c>/<c>fileName</c> are optional and written here.
/// </summary>
public static class PodcastChaptersWriter
{
    /// <summary>The content type the specification asks the file to be served with.</summary>
    public const string ContentType = "application/json+chapters";

    public const string Version = "1.2.0";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(IReadOnlyList<TimedText> chapters, string title, string podcastName, string description, string fileName) =>
        JsonSerializer.Serialize(
            new ChaptersDocument(
                Version,
                NullIfEmpty(title),
                NullIfEmpty(podcastName),
                NullIfEmpty(description),
                NullIfEmpty(fileName),
                [.. chapters.Select(c => new ChapterEntry(Seconds(c.Start), Seconds(c.End), c.Text))]),
            Options);

    /// <summary>Milliseconds precision, as every other output: 12.3456 → 12.346.</summary>
    internal static double Seconds(double value) => Timecode.Milliseconds(value) / 1000.0;

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : RenderText.Line(value);

    private sealed record ChaptersDocument(
        [property: JsonPropertyName("version")] string Version,
        [property: JsonPropertyName("title")] string? Title,
        [property: JsonPropertyName("podcastName")] string? PodcastName,
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("fileName")] string? FileName,
        [property: JsonPropertyName("chapters")] IReadOnlyList<ChapterEntry> Chapters);

    private sealed record ChapterEntry(
        [property: JsonPropertyName("startTime")] double StartTime,
        [property: JsonPropertyName("endTime")] double EndTime,
        [property: JsonPropertyName("title")] string Title);
}
