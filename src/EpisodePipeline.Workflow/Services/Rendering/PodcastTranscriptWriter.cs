using System.Text.Json;
using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// The JSON transcript format of the Podcasting 2.0 namespace
/// (https://github.com/Podcastindex-org/podcast-namespace/blob/main/transcripts/transcripts.md, "JSON"), referenced by
/// <c>&lt;podcast:transcript type="application/json"&gt;</c>: <c>version</c> <c>1.0.0</c> and <c>segments</c> of
/// <c>startTime</c>, <c>endTime</c> (seconds) and <c>body</c>. <c>speaker</c> is optional and omitted: Whisper does not tell speakers apart.
/// </summary>
public static class PodcastTranscriptWriter
{
    public const string ContentType = "application/json";

    public const string Version = "1.0.0";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string Write(IReadOnlyList<TimedText> segments) =>
        JsonSerializer.Serialize(
            new TranscriptDocument(Version, [.. segments.Select(s => new Segment(PodcastChaptersWriter.Seconds(s.Start), PodcastChaptersWriter.Seconds(s.End), s.Text))]),
            Options);

    private sealed record TranscriptDocument(
        [property: JsonPropertyName("version")] string Version,
        [property: JsonPropertyName("segments")] IReadOnlyList<Segment> Segments);

    private sealed record Segment(
        [property: JsonPropertyName("startTime")] double StartTime,
        [property: JsonPropertyName("endTime")] double EndTime,
        [property: JsonPropertyName("body")] string Body);
}
