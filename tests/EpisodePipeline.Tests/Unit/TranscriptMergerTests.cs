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
    public void Merge_RepeatedWordsWithinOneSlice_StaySeparateSegments()
    {
        // A model that says "the" again and again (hallucinating over silence) must not be chained into one long segment.
        var merged = TranscriptMerger.Merge(
        [
            (Slices[0], [new(1, 2, "the"), new(2.5, 4, "the"), new(4.2, 9, "the")]),
            (Slices[1], []),
            (Slices[2], []),
        ], 30);

        Assert.Equal([(1.0, 2.0), (2.5, 4.0), (4.2, 9.0)], merged.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public void Merge_SameWordsInNeighbouringSlicesOutsideTheirOverlap_StaySeparate()
    {
        // Slice 0 reads 0-12 and slice 1 reads 8-22: "the" at 12.1 was heard only by slice 1, so it is not a
        // second hearing of slice 0's 8.6-11.3, however close the two are.
        var merged = TranscriptMerger.Merge(
        [
            (Slices[0], [new(8.6, 11.3, "the")]),
            (Slices[1], [new(12.1, 13, "the")]),
            (Slices[2], []),
        ], 30);

        Assert.Equal([(8.6, 11.3), (12.1, 13.0)], merged.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public void Merge_ManySlicesOfTheSameWords_NeverYieldASegmentLongerThanASlice()
    {
        // 240 s in 60 s slices, every slice hearing "thank you" end to end: the merge keeps them apart.
        var slices = SegmentPlanner.Plan(240, 60, 2);
        var parts = slices.Select(s => (s, (IReadOnlyList<TranscriptSegment>)[.. Enumerable.Range(0, 30)
            .Select(i => new TranscriptSegment(s.Start + (i * 2), Math.Min(s.End, s.Start + (i * 2) + 2), "thank you"))
            .Where(t => t.End <= s.End)])).ToList();

        var merged = TranscriptMerger.Merge(parts, 240);

        Assert.All(merged, m => Assert.True(m.End - m.Start <= 64, $"segment {m.Start}-{m.End} spans more than a slice"));
        Assert.True(merged.Count > 100, $"only {merged.Count} segments survived");
    }

    [Fact]
    public void ToText_WritesOneLinePerSegment()
    {
        Assert.Equal("a\nb\n", TranscriptMerger.ToText([new(0, 1, "a"), new(1, 2, "b")]));
    }
}
