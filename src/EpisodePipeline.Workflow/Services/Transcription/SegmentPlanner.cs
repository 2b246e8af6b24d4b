using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Cuts an episode into slices of a configured length that overlap a little at each cut.</summary>
public static class SegmentPlanner
{
    /// <summary>Whisper decodes 30 s windows; a shorter slice costs as much as a full window.</summary>
    public const double MinBalancedSliceSeconds = 30;

    /// <summary>
    /// Plans slices of <paramref name="segmentSeconds"/>; a tail shorter than a quarter segment joins
    /// the slice before it, so no activity transcribes a few seconds of audio on its own.
    /// With <paramref name="parallelism"/> above 1 the slices are made equal and their count a multiple
    /// of it (while each stays at least <see cref="MinBalancedSliceSeconds"/>), so the last round of
    /// parallel slices does not leave processors idle.
    /// </summary>
    public static IReadOnlyList<AudioSlice> Plan(double durationSeconds, double segmentSeconds, double overlapSeconds, int parallelism = 1)
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

        var length = segmentSeconds;
        if (parallelism > 1)
        {
            var balanced = (count + parallelism - 1) / parallelism * parallelism;
            while (balanced > count && durationSeconds / balanced < MinBalancedSliceSeconds)
            {
                balanced -= parallelism;
            }

            count = Math.Max(count, balanced);
            length = durationSeconds / count;
        }

        var slices = new AudioSlice[count];
        for (var i = 0; i < count; i++)
        {
            var coreStart = Math.Round(i * length, 3);
            var coreEnd = i == count - 1 ? durationSeconds : Math.Round((i + 1) * length, 3);
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
