using System.Text.Json;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Enrich;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class EnrichmentValidatorTests
{
    private static readonly TranscriptSegment[] Segments =
    [
        new(0, 10, "Welcome to the newsroom podcast."),
        new(10, 20, "Today we talk about local first software and why it matters."),
        new(20, 30, "Our guest builds media pipelines that run on a single workstation."),
        new(200, 210, "Thank you for listening, and see you next week."),
    ];

    private static readonly TranscriptWords Words = new(Segments);

    private static string Answer(
        object[]? chapters = null,
        object[]? quotes = null,
        string description = "A talk about local first media pipelines.",
        string[]? keywords = null) => JsonSerializer.Serialize(new
        {
            title = "Local first media",
            description,
            summary = "First paragraph.\n\nSecond paragraph.",
            chapters = chapters ?? [new { start = "00:00", title = "Welcome", summary = "Hello." }, new { start = "03:20", title = "Goodbye", summary = "The end." }],
            keywords = keywords ?? ["local first", "media"],
            quotes = quotes ?? [new { text = "Today we talk about local first software and why it matters.", at = "00:10" }],
        });

    private static (Enrichment? Value, List<string> Problems) Validate(string answer, double duration = 240)
    {
        var problems = new List<string>();
        return (EnrichmentValidator.ValidateFinal(answer, Words, duration, problems), problems);
    }

    [Fact]
    public void ValidateFinal_GoodAnswer_GivesChaptersInSecondsAndQuotesTimedWhereTheyOccur()
    {
        var (value, problems) = Validate(Answer(quotes: [new { text = "Today we talk about local first software and why it matters.", at = "07:00" }]));

        Assert.Empty(problems);
        Assert.Equal([0.0, 200.0], value!.Chapters.Select(c => c.Start));
        var quote = Assert.Single(value.Quotes);
        Assert.Equal((10.0, 20.0), (quote.Start, quote.End)); // where it occurs, not the model's 07:00
    }

    [Fact]
    public void ValidateFinal_QuoteWithSmallDifferences_IsAccepted()
    {
        var (value, problems) = Validate(Answer(quotes: [new { text = "today we talk about local-first software, and why it really matters", at = "00:10" }]));

        Assert.Empty(problems);
        Assert.Equal(10, value!.Quotes[0].Start, 1);
    }

    [Fact]
    public void ValidateFinal_QuoteNotInTheTranscript_IsRejectedNamingIt()
    {
        var (value, problems) = Validate(Answer(quotes: [new { text = "Local software will replace the cloud by next year.", at = "00:10" }]));

        Assert.Null(value);
        Assert.Contains(problems, p => p.Contains("quote 1", StringComparison.Ordinal) && p.Contains("does not occur in the transcript", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateFinal_ChaptersOutOfOrder_AreRejected()
    {
        var (value, problems) = Validate(Answer(chapters:
        [
            new { start = "00:00", title = "A", summary = "a" },
            new { start = "03:00", title = "B", summary = "b" },
            new { start = "01:30", title = "C", summary = "c" },
        ]));

        Assert.Null(value);
        Assert.Contains(problems, p => p.StartsWith("chapter 3 starts at 01:30, not after the chapter before it (03:00)", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateFinal_ChapterPastTheEnd_IsRejected()
    {
        var (value, problems) = Validate(Answer(chapters:
        [
            new { start = "00:00", title = "A", summary = "a" },
            new { start = "05:00", title = "B", summary = "b" },
        ]));

        Assert.Null(value);
        Assert.Contains("chapter 2 starts at 05:00, past the end of the episode (04:00)", problems);
    }

    [Fact]
    public void ValidateFinal_FirstChapterNotAtZero_IsRejected()
    {
        var (_, problems) = Validate(Answer(chapters: [new { start = "00:30", title = "A", summary = "a" }]));

        Assert.Contains("chapter 1 must start at 00:00, not 00:30", problems);
    }

    [Fact]
    public void ValidateFinal_AbsurdlyDenseChapters_AreRejected()
    {
        // 4 minutes: chapters at least a quarter of it (60 s) apart.
        var (_, problems) = Validate(Answer(chapters:
        [
            new { start = "00:00", title = "A", summary = "a" },
            new { start = "00:10", title = "B", summary = "b" },
        ]));

        Assert.Contains(problems, p => p.Contains("at least 60 s apart", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sure! {\"title\": ", "not valid JSON")]
    [InlineData("[1, 2, 3]", "must be a JSON object")]
    [InlineData("{\"title\": 42}", "\"title\" must be a string")]
    [InlineData("{\"title\": \"x\"}", "missing the field \"chapters\"")]
    public void ValidateFinal_AnswerNotFollowingTheSchema_SaysWhatIsWrong(string answer, string expected)
    {
        var (value, problems) = Validate(answer);

        Assert.Null(value);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateFinal_DescriptionOnTwoLines_IsRejected()
    {
        var (_, problems) = Validate(Answer(description: "One.\nTwo."));

        Assert.Contains("\"description\" must be one line", problems);
    }

    [Fact]
    public void ValidateFinal_JsonInAMarkdownFence_IsRead()
    {
        var (value, problems) = Validate("```json\n" + Answer() + "\n```");

        Assert.Empty(problems);
        Assert.NotNull(value);
    }

    [Fact]
    public void ValidateNotes_DropsCandidatesOutsideThePartAndQuotesNotInIt()
    {
        var problems = new List<string>();
        var notes = JsonSerializer.Serialize(new
        {
            summary = "Intro.",
            chapters = new[] { new { start = "00:00", title = "In", summary = "." }, new { start = "09:00", title = "Out", summary = "." } },
            keywords = new[] { "media", "Media", " " },
            quotes = new[] { new { text = "Welcome to the newsroom podcast.", at = "00:00" }, new { text = "Something nobody said at all.", at = "00:05" } },
        });

        var valid = EnrichmentValidator.ValidateNotes(notes, Words, 0, 30, problems);

        Assert.Empty(problems);
        Assert.Equal(["In"], valid!.Chapters.Select(c => c.Title));
        Assert.Equal(["media"], valid.Keywords);
        Assert.Equal(["Welcome to the newsroom podcast."], valid.Quotes.Select(q => q.Text));
    }

    [Fact]
    public void QuoteMatcher_RepeatedQuote_TakesTheOccurrenceNearestTheGivenTime()
    {
        var words = new TranscriptWords([new(0, 5, "we are live now"), new(100, 105, "some other words here"), new(300, 305, "we are live now")]);

        Assert.Equal(300, QuoteMatcher.Find(words, "We are live now!", near: 290)!.Start);
        Assert.Equal(0, QuoteMatcher.Find(words, "We are live now!", near: 10)!.Start);
    }
}
