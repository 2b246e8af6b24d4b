using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class TranscriptMergerTests
{
    private static readonly IReadOnlyList<AudioSlice> Slices = SegmentPlanner.Plan(30, 10, 2);

    [Fact]
    public void Merge_SpeechHeardByTwoSlicesInTheOverlap_IsKeptOnce()
    {
        // "crossing the cut" (9.0-10.6, midpoint 9.8) lies in slice 0's core; slice 1 heard it too.
        var merged = TranscriptMerger.Merge(
        [
            (Slices[0], [new(0.5, 4, "hello"), new(9.0, 10.6, "crossing the cut")]),
            (Slices[1], [new(9.1, 10.5, "crossing the cut"), new(12, 15, "second part")]),
            (Slices[2], [new(21, 25, "third part")]),
        ], 30);

        Assert.Equal(["hello", "crossing the cut", "second part", "third part"], merged.Select(s => s.Text));
    }

    [Fact]
    public void Merge_SpeechOwnedByTheNextSlice_IsTakenFromIt()
    {
        // Midpoint 10.4 belongs to slice 1; slice 0's partial hearing of it is dropped.
        var merged = TranscriptMerger.Merge(
        [
            (Slices[0], [new(9.5, 11.3, "partial wor")]),
            (Slices[1], [new(9.6, 11.2, "partial words")]),
            (Slices[2], []),
        ], 30);

        Assert.Equal("partial words", Assert.Single(merged).Text);
    }

    [Fact]
    public void Merge_OutOfOrderAndOverlappingTimes_BecomeNonDecreasingAndClipped()
    {
        var merged = TranscriptMerger.Merge(
        [
            (Slices[0], [new(5, 8, "b"), new(1, 6, "a")]),
            (Slices[1], []),
            (Slices[2], [new(28, 31, "tail")]),
        ], 30);

        Assert.Equal(["a", "b", "tail"], merged.Select(s => s.Text));
        for (var i = 1; i < merged.Count; i++)
        {
            Assert.True(merged[i].Start >= merged[i - 1].End, $"segment {i} starts before the previous one ends");
        }

        Assert.All(merged, s => Assert.True(s.End >= s.Start));
        Assert.Equal(30, merged[^1].End);
    }

    [Fact]
    public void Merge_RepeatedWordsAcrossACut_AreJoinedIntoOneSegment()
    {
        var merged = TranscriptMerger.Merge(
        [
            (Slices[0], [new(7, 9.9, "thank you")]),
            (Slices[1], [new(10.1, 11, "thank you"), new(12, 13, "next")]),
            (Slices[2], []),
        ], 30);

        Assert.Equal(["thank you", "next"], merged.Select(s => s.Text));
        Assert.Equal((7.0, 11.0), (merged[0].Start, merged[0].End));
    }

    [Fact]
    public void ToText_WritesOneLinePerSegment()
    {
        Assert.Equal("a\nb\n", TranscriptMerger.ToText([new(0, 1, "a"), new(1, 2, "b")]));
    }
}
