using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class SegmentPlannerTests
{
    [Fact]
    public void Plan_ExactMultiple_CutsEqualCoresWithOverlapInside()
    {
        var slices = SegmentPlanner.Plan(durationSeconds: 30, segmentSeconds: 10, overlapSeconds: 1);

        Assert.Equal(3, slices.Count);
        Assert.Equal([0.0, 10.0, 20.0], slices.Select(s => s.CoreStart));
        Assert.Equal([10.0, 20.0, 30.0], slices.Select(s => s.CoreEnd));
        Assert.Equal([0.0, 9.0, 19.0], slices.Select(s => s.Start));
        Assert.Equal([11.0, 21.0, 30.0], slices.Select(s => s.End));
        Assert.Equal([0, 1, 2], slices.Select(s => s.Index));
    }

    [Fact]
    public void Plan_ShortTail_JoinsThePreviousSlice()
    {
        var slices = SegmentPlanner.Plan(durationSeconds: 21.5, segmentSeconds: 10, overlapSeconds: 1);

        Assert.Equal(2, slices.Count);
        Assert.Equal(21.5, slices[^1].CoreEnd);
        Assert.Equal(21.5, slices[^1].End);
    }

    [Fact]
    public void Plan_LongTail_GetsItsOwnSlice()
    {
        var slices = SegmentPlanner.Plan(durationSeconds: 24, segmentSeconds: 10, overlapSeconds: 1);

        Assert.Equal(3, slices.Count);
        Assert.Equal(20, slices[2].CoreStart);
        Assert.Equal(24, slices[2].CoreEnd);
    }

    [Fact]
    public void Plan_ShorterThanOneSegment_IsOneSliceOfTheWholeClip()
    {
        var slice = Assert.Single(SegmentPlanner.Plan(durationSeconds: 4.2, segmentSeconds: 300, overlapSeconds: 2));

        Assert.Equal((0.0, 4.2, 0.0, 4.2), (slice.Start, slice.End, slice.CoreStart, slice.CoreEnd));
    }

    [Fact]
    public void Plan_CoresTileTheEpisodeWithoutGapsOrOverlap()
    {
        var slices = SegmentPlanner.Plan(durationSeconds: 3601.7, segmentSeconds: 300, overlapSeconds: 2);

        Assert.Equal(0, slices[0].CoreStart);
        Assert.Equal(3601.7, slices[^1].CoreEnd);
        for (var i = 1; i < slices.Count; i++)
        {
            Assert.Equal(slices[i - 1].CoreEnd, slices[i].CoreStart);
        }
    }

    [Fact]
    public void Plan_NoAudio_PlansNothing()
    {
        Assert.Empty(SegmentPlanner.Plan(durationSeconds: 0, segmentSeconds: 10, overlapSeconds: 1));
    }

    [Theory]
    [InlineData(600, 300, 2, 2)]   // already a multiple: two 300 s slices
    [InlineData(420, 300, 2, 2)]   // 300 + 120 would idle a processor for 180 s: two 210 s slices
    [InlineData(900, 300, 2, 4)]   // three slices round up to four of 225 s
    [InlineData(100, 300, 2, 2)]   // one short clip still uses both processors: two 50 s slices
    [InlineData(40, 300, 2, 1)]    // two 20 s slices would each pay a full 30 s Whisper window
    [InlineData(600, 300, 1, 2)]   // no parallelism: the plain plan
    public void Plan_WithParallelism_MakesEqualSlicesInWholeRounds(double duration, double segment, int parallelism, int expectedCount)
    {
        var slices = SegmentPlanner.Plan(duration, segment, overlapSeconds: 2, parallelism);

        Assert.Equal(expectedCount, slices.Count);
        Assert.Equal(duration, slices[^1].CoreEnd);
        var lengths = slices.Select(s => s.CoreEnd - s.CoreStart).ToList();
        Assert.True(lengths.Max() - lengths.Min() < 0.01, $"slices differ in length: {string.Join(", ", lengths)}");
        for (var i = 1; i < slices.Count; i++)
        {
            Assert.Equal(slices[i - 1].CoreEnd, slices[i].CoreStart);
        }
    }
}
