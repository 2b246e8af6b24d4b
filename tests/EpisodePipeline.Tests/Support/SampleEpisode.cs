using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// The Transcribe and Enrich stages' outputs for a discovered episode, written by hand: <c>transcript.json</c> with one
/// segment every <see cref="SegmentSeconds"/>, and <c>enrichment.json</c> with chapters, keywords and quotes.
/// <see cref="Hostile"/> strings go into every transcript and LLM field when asked.
/// </summary>
public static class SampleEpisode
{
    public const double SegmentSeconds = 3;

    /// <summary>What a hostile transcript or LLM answer may hold: markup, an attribute break-out, a script URL, template syntax.</summary>
    public static readonly IReadOnlyList<string> Hostile =
    [
        "<script>window.pwned=1</script>",
        "\"><img src=x onerror=\"window.pwned=2\">",
        "javascript:window.pwned=3",
        "{{ 6 * 7 }} {{ object.eval '1+1' }}",
        "--> &amp; <b>",
    ];

    public static readonly IReadOnlyList<string> Words =
    [
        "Welcome to the newsroom podcast.", "Today we talk about local first software.", "Our guest builds media pipelines.",
        "Audio is extracted and cut into segments.", "A speech model transcribes them.", "Then a language model writes chapters.",
        "Finally we publish pages and subtitles.", "Thank you for listening.",
    ];

    public static Transcript Transcript(string episodeId, double duration, bool hostile = false)
    {
        var count = (int)Math.Floor(duration / SegmentSeconds);
        var segments = Enumerable.Range(0, count).Select(i => new TranscriptSegment(
            i * SegmentSeconds,
            (i * SegmentSeconds) + SegmentSeconds - 0.5,
            hostile && i < Hostile.Count ? Hostile[i] : Words[i % Words.Count])).ToList();
        return new Transcript
        {
            EpisodeId = episodeId,
            Language = "en",
            DurationSeconds = duration,
            Fingerprint = "test",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Segments = segments,
        };
    }

    public static Enrichment Enrichment(string episodeId, double duration, bool hostile = false)
    {
        string H(int i, string plain) => hostile ? Hostile[i % Hostile.Count] + " " + plain : plain;
        var third = Math.Round(duration / 3);
        return new Enrichment
        {
            EpisodeId = episodeId,
            Title = H(0, "Local first media pipelines"),
            Description = H(1, "How one workstation turns episodes into pages."),
            Summary = H(2, "We discuss extraction and transcription.") + "\n\n" + H(3, "Then chapters, keywords and publishing."),
            Chapters =
            [
                new Chapter(0, H(0, "Introduction"), H(1, "Who is talking")),
                new Chapter(third, H(1, "Transcription"), "Cutting audio into segments"),
                new Chapter(2 * third, H(3, "Publishing"), "Pages, captions and feeds"),
            ],
            Keywords = [H(2, "local-first"), "whisper", "podcasting"],
            Quotes = [new Quote(H(4, "Audio is extracted and cut into segments."), 9, 11.5)],
            Model = "test",
            Fingerprint = "test",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    /// <summary>Writes both files where the stages would, for an episode already in the catalog.</summary>
    public static async Task WriteAsync(DataLayout layout, string episodeId, double duration, bool hostile = false, bool enriched = true)
    {
        await AtomicFile.WriteJsonAsync(layout.TranscriptPath(episodeId), Transcript(episodeId, duration, hostile));
        if (enriched)
        {
            await AtomicFile.WriteJsonAsync(Path.Combine(layout.EpisodeFolder(episodeId), "enrichment.json"), Enrichment(episodeId, duration, hostile));
        }
    }
}
