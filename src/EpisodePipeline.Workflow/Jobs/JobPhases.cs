namespace EpisodePipeline.Jobs;

/// <summary>The progress band of each <see cref="JobPhase"/> (percent, 0–100) and the arithmetic on it.</summary>
public static class JobPhases
{
    /// <summary>
    /// Where progress starts and ends inside <paramref name="phase"/>: queued 0, starting 5,
    /// transcribing 10–40, enriching 40–80, rendering 80–95, completed 100 (the reference guide's table);
    /// a batch job's discovering 5, processing 10–95 (by finished episodes).
    /// </summary>
    public static (double From, double To) Band(JobPhase phase) => phase switch
    {
        JobPhase.Queued => (0, 0),
        JobPhase.Starting => (5, 5),
        JobPhase.Transcribing => (10, 40),
        JobPhase.Enriching => (40, 80),
        JobPhase.Rendering => (80, 95),
        JobPhase.Completed => (100, 100),
        JobPhase.Discovering => (5, 5),
        JobPhase.Processing => (10, 95),
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    /// <summary>Progress inside <paramref name="phase"/>'s band after <paramref name="done"/> of <paramref name="total"/> units of work.</summary>
    public static double Progress(JobPhase phase, int done, int total)
    {
        var (from, to) = Band(phase);
        return total <= 0 ? from : Math.Round(from + ((to - from) * Math.Clamp(done, 0, total) / total), 1);
    }

    /// <summary>
    /// Seconds left, assuming the remaining units take as long as the finished ones did on average;
    /// null until one unit has finished. Uses orchestration time, so it is replay-safe.
    /// </summary>
    public static int? EtaSeconds(DateTime startedAt, DateTime now, int done, int total)
    {
        if (done <= 0 || total <= 0)
        {
            return null;
        }

        var perUnit = Math.Max(0, (now - startedAt).TotalSeconds) / done;
        return (int)Math.Ceiling(perUnit * Math.Max(0, total - done));
    }
}
