using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// A transcript segment or chapter as every output format sees it: cleaned text, a start, and an end
/// strictly after the start, in episode order. <see cref="Detail"/> is a chapter's one-line summary.
/// </summary>
public sealed record TimedText(double Start, double End, string Text, string Detail = "")
{
    // WebVTT requires a cue's end to be after its start; Whisper sometimes reports zero-length segments.
    private const double MinimumLength = 0.001;

    /// <summary>Transcript segments cleaned, ordered by start, empty ones dropped, each ending after it starts.</summary>
    public static IReadOnlyList<TimedText> FromTranscript(IEnumerable<TranscriptSegment> segments) =>
    [
        .. segments
            .Select(s => (Start: Math.Max(0, s.Start), s.End, Text: RenderText.Line(s.Text)))
            .Where(s => s.Text.Length > 0)
            .OrderBy(s => s.Start)
            .Select(s => new TimedText(s.Start, Math.Max(s.End, s.Start + MinimumLength), s.Text)),
    ];

    /// <summary>
    /// Chapters ordered by start, the first moved to 0, each ending where the next starts and the last at
    /// <paramref name="duration"/>. Chapters starting at or after the end of the episode are dropped.
    /// </summary>
    public static IReadOnlyList<TimedText> FromChapters(IEnumerable<Chapter> chapters, double duration)
    {
        var ordered = chapters
            .Select(c => (Start: Math.Max(0, c.Start), Title: RenderText.Line(c.Title), Summary: RenderText.Line(c.Summary)))
            .Where(c => duration <= 0 || c.Start < duration)
            .OrderBy(c => c.Start)
            .ToList();
        var result = new List<TimedText>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var start = i == 0 ? 0 : ordered[i].Start;
            if (result.Count > 0 && start <= result[^1].Start)
            {
                continue;
            }

            var end = i + 1 < ordered.Count ? ordered[i + 1].Start : Math.Max(duration, start + MinimumLength);
            result.Add(new TimedText(start, Math.Max(end, start + MinimumLength), ordered[i].Title.Length > 0 ? ordered[i].Title : $"Chapter {result.Count + 1}", ordered[i].Summary));
        }

        return result;
    }
}
