namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// Finds a quote in the transcript allowing small differences: the stretch of transcript words with the
/// fewest word insertions, deletions and substitutions against the quote (approximate substring
/// matching, O(quote words × transcript words)). At most 15 % of the quote's words may differ.
/// </summary>
public static class QuoteMatcher
{
    public const double AllowedDifference = 0.15;

    public static int Allowed(int quoteWords) => (int)Math.Floor(quoteWords * AllowedDifference);

    /// <summary>The best occurrence, the one nearest <paramref name="near"/> among equally good ones; null when none is close enough.</summary>
    public static QuoteMatch? Find(TranscriptWords transcript, string quote, double? near = null)
    {
        var q = TranscriptWords.Normalise(quote);
        var n = transcript.Count;
        if (q.Count == 0 || n == 0)
        {
            return null;
        }

        // prev[j]: fewest differences aligning the quote's first i words so that they end just before transcript word j.
        var prev = new int[n + 1];
        var prevFrom = new int[n + 1];
        var cur = new int[n + 1];
        var curFrom = new int[n + 1];
        for (var j = 0; j <= n; j++)
        {
            prevFrom[j] = j;
        }

        for (var i = 1; i <= q.Count; i++)
        {
            cur[0] = i;
            curFrom[0] = 0;
            for (var j = 1; j <= n; j++)
            {
                var best = prev[j - 1] + (q[i - 1] == transcript[j - 1] ? 0 : 1);
                var from = prevFrom[j - 1];
                if (prev[j] + 1 < best)
                {
                    best = prev[j] + 1;
                    from = prevFrom[j];
                }

                if (cur[j - 1] + 1 < best)
                {
                    best = cur[j - 1] + 1;
                    from = curFrom[j - 1];
                }

                cur[j] = best;
                curFrom[j] = from;
            }

            (prev, cur) = (cur, prev);
            (prevFrom, curFrom) = (curFrom, prevFrom);
        }

        QuoteMatch? found = null;
        for (var j = 1; j <= n; j++)
        {
            var start = prevFrom[j];
            if (prev[j] > Allowed(q.Count) || start >= j)
            {
                continue;
            }

            var match = new QuoteMatch(transcript.StartOf(start), transcript.EndOf(j - 1), prev[j]);
            if (found is null || match.Differences < found.Differences ||
                (match.Differences == found.Differences && near is { } t && Math.Abs(match.Start - t) < Math.Abs(found.Start - t)))
            {
                found = match;
            }
        }

        return found;
    }
}
