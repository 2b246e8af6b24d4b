using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Cuts an episode into slices of a configured length that overlap a little at each cut.</summary>
public static class SegmentPlanner
{
    /// <summary>
    /// Plans slices of <paramref name="segmentSeconds"/>; a tail shorter than a quarter segment joins
    /// the slice before it, so no activity transcribes a few seconds of audio on its own.
    /// </summary>
    public static IReadOnlyList<AudioSlice> Plan(double durationSeconds, double segmentSeconds, double overlapSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapSeconds);
        if (durationSeconds <= 0)
        {
            return [];
        }

        var count = Math.Max(1, (int)Math.Ceiling(durationSeconds / segmentSeconds));
        if (count > 1 && durationSeconds - ((count - 1) * segmentSeconds) < segmentSeconds / 4)
        {
            count--;
        }

        var slices = new AudioSlice[count];
        for (var i = 0; i < count; i++)
        {
            var coreStart = i * segmentSeconds;
            var coreEnd = i == count - 1 ? durationSeconds : (i + 1) * segmentSeconds;
            slices[i] = new AudioSlice(
                i,
                Start: Math.Max(0, coreStart - overlapSeconds),
                End: Math.Min(durationSeconds, coreEnd + overlapSeconds),
                CoreStart: coreStart,
                CoreEnd: coreEnd);
        }

        return slices;
    }
}
