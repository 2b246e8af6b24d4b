using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Joins the transcripts of overlapping slices into one, in episode time.</summary>
public static class TranscriptMerger
{
    /// <summary>
    /// <paramref name="slices"/> carry segments already in episode time. Each slice keeps the speech
    /// whose midpoint falls in its core, so what two slices both heard in an overlap is kept once;
    /// times are then made non-decreasing and clipped to the episode.
    /// </summary>
    public static IReadOnlyList<TranscriptSegment> Merge(
        IEnumerable<(AudioSlice Slice, IReadOnlyList<TranscriptSegment> Segments)> slices,
        double durationSeconds)
    {
        var ordered = slices.OrderBy(s => s.Slice.Index).ToList();
        var merged = new List<TranscriptSegment>();
        for (var n = 0; n < ordered.Count; n++)
        {
            var (slice, segments) = ordered[n];
            var isFirst = n == 0;
            var isLast = n == ordered.Count - 1;
            foreach (var segment in segments.OrderBy(s => s.Start))
            {
                var middle = (segment.Start + segment.End) / 2;
                if ((!isFirst && middle < slice.CoreStart) || (!isLast && middle >= slice.CoreEnd))
                {
                    continue;
                }

                merged.Add(segment);
            }
        }

        var result = new List<TranscriptSegment>(merged.Count);
        var previousEnd = 0.0;
        foreach (var segment in merged)
        {
            var start = Math.Clamp(segment.Start, previousEnd, durationSeconds);
            var end = Math.Clamp(segment.End, start, durationSeconds);
            if (result.Count > 0 && result[^1].Text == segment.Text && start - result[^1].End < 1.0)
            {
                // The same words heard again across a cut: extend the first hearing instead.
                result[^1] = result[^1] with { End = Math.Max(result[^1].End, end) };
                previousEnd = result[^1].End;
                continue;
            }

            result.Add(new TranscriptSegment(Math.Round(start, 3), Math.Round(end, 3), segment.Text));
            previousEnd = end;
        }

        return result;
    }

    /// <summary>Plain text: one line per segment.</summary>
    public static string ToText(IEnumerable<TranscriptSegment> segments) =>
        string.Join('\n', segments.Select(s => s.Text)) + "\n";
}
