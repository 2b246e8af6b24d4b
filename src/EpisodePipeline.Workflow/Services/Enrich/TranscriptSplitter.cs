using System.Text;
using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// Writes the transcript as the model reads it (one <c>[mm:ss] text</c> line per segment) and cuts it
/// at segment boundaries into parts that fit a token budget, as even in size as the budget allows.
/// </summary>
public static class TranscriptSplitter
{
    public static string Line(TranscriptSegment segment) => $"[{Timecode.Format(segment.Start)}] {segment.Text.Trim()}\n";

    /// <summary>The lines of <paramref name="count"/> segments from <paramref name="first"/>.</summary>
    public static string Lines(IReadOnlyList<TranscriptSegment> segments, int first, int count)
    {
        var text = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            text.Append(Line(segments[i]));
        }

        return text.ToString();
    }

    public static int Tokens(IReadOnlyList<TranscriptSegment> segments) => segments.Sum(s => TokenEstimate.Of(Line(s)));

    /// <summary>
    /// Parts of at most <paramref name="budgetTokens"/> each (a single segment longer than that is a part
    /// of its own). The greedy cut fixes how many parts are needed; the cut is then redone aiming at equal
    /// parts, so a 3.1-budget transcript becomes four similar parts, not three full ones and a scrap.
    /// </summary>
    public static IReadOnlyList<TranscriptPart> Split(IReadOnlyList<TranscriptSegment> segments, int budgetTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetTokens, 1);
        var costs = segments.Select(s => TokenEstimate.Of(Line(s))).ToArray();
        var greedy = Cut(segments, costs, budgetTokens);
        if (greedy.Count <= 1)
        {
            return greedy;
        }

        var even = (int)Math.Ceiling(costs.Sum() / (double)greedy.Count);
        for (var target = even; target < budgetTokens; target += Math.Max(1, even / 50))
        {
            var balanced = Cut(segments, costs, target);
            if (balanced.Count <= greedy.Count)
            {
                return balanced;
            }
        }

        return greedy;
    }

    private static List<TranscriptPart> Cut(IReadOnlyList<TranscriptSegment> segments, int[] costs, int budget)
    {
        var parts = new List<TranscriptPart>();
        var first = 0;
        var tokens = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            if (i > first && tokens + costs[i] > budget)
            {
                parts.Add(Part(parts.Count, first, i, tokens));
                first = i;
                tokens = 0;
            }

            tokens += costs[i];
        }

        if (segments.Count > first)
        {
            parts.Add(Part(parts.Count, first, segments.Count, tokens));
        }

        return parts;

        TranscriptPart Part(int index, int from, int to, int cost) =>
            new(index, from, to - from, segments[from].Start, segments[to - 1].End, cost);
    }
}
