using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Joins the transcripts of overlapping slices into one, in episode time.</summary>
public static class TranscriptMerger
{
    /// <summary>
    /// <paramref name="slices"/> carry segments already in episode time. Each slice keeps the speech
    /// whose midpoint falls in its core, so what two slices both heard in an overlap is kept once;
    /// times are then made non-decreasing and clipped to the episode. The same words heard by both
    /// neighbours across a cut are joined, but only there: segments are never chained within a slice
    /// or across silence, so no merged segment spans more than the slices it came from overlap.
    /// </summary>
    public static IReadOnlyList<TranscriptSegment> Merge(
        IEnumerable<(AudioSlice Slice, IReadOnlyList<TranscriptSegment> Segments)> slices,
        double durationSeconds)
    {
        var ordered = slices.OrderBy(s => s.Slice.Index).ToList();
        var kept = new List<(AudioSlice Slice, TranscriptSegment Segment)>();
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

                kept.Add((slice, segment));
            }
        }

        var result = new List<TranscriptSegment>(kept.Count);
        AudioSlice? previousSlice = null;
        var previousEnd = 0.0;
        foreach (var (slice, segment) in kept)
        {
            var start = Math.Clamp(segment.Start, previousEnd, durationSeconds);
            var end = Math.Clamp(segment.End, start, durationSeconds);
            if (previousSlice is { } before && IsHeardAgainAcrossCut(before, slice, result[^1], segment, start))
            {
                // The same words heard by both slices in their overlap: extend the first hearing instead.
                result[^1] = result[^1] with { End = Math.Round(Math.Max(result[^1].End, end), 3) };
                previousEnd = result[^1].End;
                continue;
            }

            result.Add(new TranscriptSegment(Math.Round(start, 3), Math.Round(end, 3), segment.Text));
            previousSlice = slice;
            previousEnd = end;
        }

        return result;
    }

    /// <summary>
    /// True when <paramref name="next"/> (from <paramref name="slice"/>) repeats <paramref name="previous"/>
    /// (from the neighbouring <paramref name="previousSlice"/>) inside the audio both slices read.
    /// </summary>
    private static bool IsHeardAgainAcrossCut(AudioSlice previousSlice, AudioSlice slice, TranscriptSegment previous, TranscriptSegment next, double nextStart) =>
        slice.Index == previousSlice.Index + 1
        && next.Text == previous.Text
        && nextStart - previous.End < 1.0
        && nextStart < previousSlice.End
        && previous.End > slice.Start;

    /// <summary>Plain text: one line per segment.</summary>
    public static string ToText(IEnumerable<TranscriptSegment> segments) =>
        string.Join('\n', segments.Select(s => s.Text)) + "\n";
}
