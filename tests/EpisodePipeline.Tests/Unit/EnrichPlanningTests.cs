using System.Text.Json;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Enrich;
using EpisodePipeline.TestKit;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>Splitting by token budget, the [mm:ss] lines the model reads, times and the schemas.</summary>
public class EnrichPlanningTests
{
    private static List<TranscriptSegment> Talk(double seconds) =>
        [.. TestTranscripts.Segments(seconds).Select(s => new TranscriptSegment(s.Start, s.End, s.Text))];

    [Fact]
    public void Split_SixtyMinutesOn8kContext_GivesContiguousPartsWithinTheBudget()
    {
        var segments = Talk(3600);
        var budget = TokenEstimate.Budget(8192, TokenEstimate.NotesAnswerTokens, EnrichmentPrompts.PartNotes(9, 9, 0, 3600));

        var parts = TranscriptSplitter.Split(segments, budget);

        Assert.InRange(parts.Count, 2, 6);
        Assert.All(parts, p => Assert.True(p.Tokens <= budget, $"part {p.Index}: {p.Tokens} > {budget} tokens"));
        Assert.Equal(0, parts[0].FirstSegment);
        for (var i = 1; i < parts.Count; i++)
        {
            Assert.Equal(parts[i - 1].FirstSegment + parts[i - 1].SegmentCount, parts[i].FirstSegment);
        }

        Assert.Equal(segments.Count, parts.Sum(p => p.SegmentCount));

        // Balanced: no scrap at the end.
        Assert.True(parts.Min(p => p.Tokens) > parts.Max(p => p.Tokens) * 0.8, string.Join(", ", parts.Select(p => p.Tokens)));

        // What the model gets per map call fits the context: instructions + part + the longest answer.
        foreach (var part in parts)
        {
            var prompt = EnrichmentPrompts.PartNotes(part.Index + 1, parts.Count, part.Start, part.End)
                + TranscriptSplitter.Lines(segments, part.FirstSegment, part.SegmentCount);
            Assert.True(TokenEstimate.Of(prompt) + TokenEstimate.NotesAnswerTokens <= 8192);
        }
    }

    [Fact]
    public void Split_TranscriptWithinTheBudget_IsOnePart()
    {
        var parts = TranscriptSplitter.Split(Talk(120), 100_000);

        var part = Assert.Single(parts);
        Assert.Equal((0, 0, 24, 0.0, 119.8), (part.Index, part.FirstSegment, part.SegmentCount, part.Start, part.End));
    }

    [Fact]
    public void Lines_CarryMmSsMarkers_InMinutesPastTheHour()
    {
        var segments = new List<TranscriptSegment> { new(0, 2, " Hello. "), new(65.7, 70, "Later."), new(4505, 4510, "Much later.") };

        Assert.Equal("[00:00] Hello.\n[01:05] Later.\n[75:05] Much later.\n", TranscriptSplitter.Lines(segments, 0, 3));
    }

    [Theory]
    [InlineData("00:00", 0)]
    [InlineData("01:05", 65)]
    [InlineData("[75:05]", 4505)]
    [InlineData("1:02:03", 3723)]
    public void Timecode_Parses(string text, double seconds)
    {
        Assert.True(Timecode.TryParse(text, out var parsed));
        Assert.Equal(seconds, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("90")]
    [InlineData("01:75")]
    [InlineData("-1:00")]
    public void Timecode_RefusesWhatIsNotATime(string text) => Assert.False(Timecode.TryParse(text, out _));

    [Fact]
    public void FinalSchema_RequiresEveryFieldTheStoredEnrichmentHas()
    {
        var required = EnrichmentPrompts.FinalSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToList();
        var stored = JsonSerializer.SerializeToElement(new Enrichment
        {
            EpisodeId = "x", Title = "t", Description = "d", Summary = "s", Chapters = [], Keywords = [], Quotes = [], Model = "m", Fingerprint = "f",
        }).EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["title", "description", "summary", "chapters", "keywords", "quotes"], required);
        Assert.All(required, name => Assert.Contains(name, stored));
    }

    [Fact]
    public void Prompts_TellTheModelAboutTheMarkersAndTheRules()
    {
        var prompt = EnrichmentPrompts.FinalFromTranscript(1800);

        Assert.Contains("[mm:ss]", prompt);
        Assert.Contains("\"00:00\"", prompt);
        Assert.Contains("before 30:00", prompt);
        Assert.Contains("word for word", prompt);
    }

    [Theory]
    [InlineData("llama3.1:8b", "llama3.1:8b", true)]
    [InlineData("llama3.1", "llama3.1:latest", true)]
    [InlineData("Llama3.1:8B", "llama3.1:8b", true)]
    [InlineData("llama3.1:8b", "llama3.1:70b", false)]
    public void SameModel_TreatsAMissingTagAsLatest(string a, string b, bool same) => Assert.Equal(same, OllamaEnricher.SameModel(a, b));
}
