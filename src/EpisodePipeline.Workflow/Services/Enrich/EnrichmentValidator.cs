using System.Text.Json;
using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// Decides whether a model's answer may be stored, and says what is wrong in words the model is told
/// when it is asked again. The final answer must follow the schema; have a title, a one-line
/// description and a summary; chapters that start at 00:00, increase, lie inside the episode and are
/// at least <see cref="EnrichmentPrompts.MinChapterSeconds"/> apart (at most <see cref="MaxChapters"/>);
/// keywords; and quotes of at least <see cref="MinQuoteWords"/> words that occur in the transcript
/// (<see cref="QuoteMatcher"/>). A quote's stored time is where it occurs, not what the model wrote.
/// </summary>
public static class EnrichmentValidator
{
    public const int MaxChapters = 40;
    public const int MaxKeywords = 20;
    public const int MaxQuotes = 10;
    public const int MinQuoteWords = 3;
    public const int MaxDescriptionChars = 300;

    /// <summary>
    /// The enrichment the answer describes, with empty identity fields (episode, model, fingerprint) for
    /// the caller to fill; null when <paramref name="problems"/> gained entries.
    /// </summary>
    public static Enrichment? ValidateFinal(string answer, TranscriptWords transcript, double durationSeconds, List<string> problems)
    {
        if (JsonShape.Check(answer, EnrichmentPrompts.FinalSchema, problems) is not { } json)
        {
            return null;
        }

        var draft = json.Deserialize<EnrichmentDraft>(AnswerJson)!;
        var before = problems.Count;
        var title = Required(draft.Title, "title", problems);
        var summary = Required(draft.Summary, "summary", problems);
        var description = Required(draft.Description, "description", problems);
        if (description.Contains('\n', StringComparison.Ordinal))
        {
            problems.Add("\"description\" must be one line");
        }
        else if (description.Length > MaxDescriptionChars)
        {
            problems.Add($"\"description\" must be one sentence ({description.Length} characters is too long; at most {MaxDescriptionChars})");
        }

        var chapters = Chapters(draft.Chapters, durationSeconds, problems);
        var keywords = Keywords(draft.Keywords);
        if (keywords.Count == 0)
        {
            problems.Add("\"keywords\" must list at least one keyword");
        }

        var quotes = Quotes(draft.Quotes, transcript, problems);
        if (quotes.Count == 0 && transcript.Count >= 20 && draft.Quotes.Count == 0)
        {
            problems.Add("\"quotes\" must contain at least one notable sentence from the transcript");
        }

        return problems.Count > before ? null : new Enrichment
        {
            EpisodeId = "",
            Model = "",
            Fingerprint = "",
            Title = title,
            Description = description,
            Summary = summary,
            Chapters = chapters,
            Keywords = keywords,
            Quotes = quotes,
        };
    }

    /// <summary>
    /// Notes on a part are candidates for the reduce step, so only their shape is a reason to ask again:
    /// chapters outside the part and quotes not found in it are dropped, extras are cut.
    /// </summary>
    internal static PartNotes? ValidateNotes(string answer, TranscriptWords part, double start, double end, List<string> problems)
    {
        if (JsonShape.Check(answer, EnrichmentPrompts.NotesSchema, problems) is not { } json)
        {
            return null;
        }

        var notes = json.Deserialize<PartNotes>(AnswerJson)!;
        if (string.IsNullOrWhiteSpace(notes.Summary))
        {
            problems.Add("\"summary\" must not be empty");
            return null;
        }

        return notes with
        {
            Chapters = [.. notes.Chapters
                .Where(c => Timecode.TryParse(c.Start, out var s) && s >= start - 1 && s <= end && !string.IsNullOrWhiteSpace(c.Title))
                .Take(6)],
            Keywords = Keywords(notes.Keywords).Take(10).ToList(),
            Quotes = [.. notes.Quotes
                .Where(q => TranscriptWords.Normalise(q.Text).Count >= MinQuoteWords && QuoteMatcher.Find(part, q.Text) is not null)
                .Take(4)],
        };
    }

    private static List<Chapter> Chapters(IReadOnlyList<DraftChapter> drafts, double duration, List<string> problems)
    {
        var chapters = new List<Chapter>();
        if (drafts.Count == 0)
        {
            problems.Add("\"chapters\" must contain at least one chapter starting at 00:00");
            return chapters;
        }

        if (drafts.Count > MaxChapters)
        {
            problems.Add($"\"chapters\" has {drafts.Count} chapters; at most {MaxChapters}");
        }

        var gap = EnrichmentPrompts.MinChapterSeconds(duration);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var name = $"chapter {i + 1}";
            if (!Timecode.TryParse(draft.Start, out var start))
            {
                problems.Add($"{name} has start \"{draft.Start}\"; write it as mm:ss");
                continue;
            }

            if (i == 0 && start != 0)
            {
                problems.Add($"chapter 1 must start at 00:00, not {draft.Start}");
            }

            if (start >= duration && duration > 0)
            {
                problems.Add($"{name} starts at {Timecode.Format(start)}, past the end of the episode ({Timecode.Format(duration)})");
            }

            if (chapters.Count > 0)
            {
                var previous = chapters[^1].Start;
                if (start <= previous)
                {
                    problems.Add($"{name} starts at {Timecode.Format(start)}, not after the chapter before it ({Timecode.Format(previous)}); chapters must be in order");
                }
                else if (start - previous < gap)
                {
                    problems.Add($"{name} starts {start - previous:0} s after the chapter before it; chapters must be at least {gap:0} s apart");
                }
            }

            if (string.IsNullOrWhiteSpace(draft.Title))
            {
                problems.Add($"{name} has no title");
            }

            chapters.Add(new Chapter(start, draft.Title.Trim(), OneLine(draft.Summary)));
        }

        return chapters;
    }

    private static List<Quote> Quotes(IReadOnlyList<DraftQuote> drafts, TranscriptWords transcript, List<string> problems)
    {
        var quotes = new List<Quote>();
        foreach (var (draft, i) in drafts.Take(MaxQuotes).Select((q, i) => (q, i)))
        {
            var text = draft.Text.Trim().Trim('"', '“', '”');
            if (TranscriptWords.Normalise(text).Count < MinQuoteWords)
            {
                problems.Add($"quote {i + 1} (\"{text}\") is too short; quote a whole sentence of at least {MinQuoteWords} words");
                continue;
            }

            var near = Timecode.TryParse(draft.At, out var at) ? at : (double?)null;
            if (QuoteMatcher.Find(transcript, text, near) is not { } match)
            {
                problems.Add($"quote {i + 1} (\"{text}\") does not occur in the transcript; copy quotes word for word");
                continue;
            }

            quotes.Add(new Quote(text, Math.Round(match.Start, 2), Math.Round(match.End, 2)));
        }

        return quotes;
    }

    private static List<string> Keywords(IReadOnlyList<string> keywords) =>
        [.. keywords.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxKeywords)];

    private static string Required(string value, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"\"{field}\" must not be empty");
        }

        return value.Trim();
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web);
}
