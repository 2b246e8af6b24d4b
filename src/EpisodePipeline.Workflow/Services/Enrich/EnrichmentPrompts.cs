using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// What the model is told, and the JSON schemas sent as Ollama's <c>format</c>. Any change to the
/// wording or the schemas must bump <see cref="Version"/>: it is part of the enrichment's fingerprint,
/// so enrichments made with other prompts are not reused.
/// </summary>
public static class EnrichmentPrompts
{
    public const string Version = "1";

    /// <summary>The final answer: title, description, summary, chapters, keywords, quotes.</summary>
    public static JsonElement FinalSchema { get; } = Parse("""
        {
          "type": "object",
          "properties": {
            "title": { "type": "string" },
            "description": { "type": "string" },
            "summary": { "type": "string" },
            "chapters": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "start": { "type": "string", "description": "mm:ss" },
                  "title": { "type": "string" },
                  "summary": { "type": "string" }
                },
                "required": ["start", "title", "summary"]
              }
            },
            "keywords": { "type": "array", "items": { "type": "string" } },
            "quotes": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "text": { "type": "string" },
                  "at": { "type": "string", "description": "mm:ss" }
                },
                "required": ["text", "at"]
              }
            }
          },
          "required": ["title", "description", "summary", "chapters", "keywords", "quotes"]
        }
        """);

    /// <summary>Notes on one part of the transcript (map), or on several parts combined.</summary>
    public static JsonElement NotesSchema { get; } = Parse("""
        {
          "type": "object",
          "properties": {
            "summary": { "type": "string" },
            "chapters": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "start": { "type": "string", "description": "mm:ss" },
                  "title": { "type": "string" },
                  "summary": { "type": "string" }
                },
                "required": ["start", "title", "summary"]
              }
            },
            "keywords": { "type": "array", "items": { "type": "string" } },
            "quotes": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "text": { "type": "string" },
                  "at": { "type": "string", "description": "mm:ss" }
                },
                "required": ["text", "at"]
              }
            }
          },
          "required": ["summary", "chapters", "keywords", "quotes"]
        }
        """);

    private const string Reading =
        "You prepare podcast and video episodes for publishing. Every transcript line starts with [mm:ss], " +
        "the minute and second at which it is spoken. Use only what the transcript says. " +
        "Answer with one JSON object that follows the given schema, and nothing else.";

    /// <summary>Instructions for the final answer written straight from the whole transcript.</summary>
    public static string FinalFromTranscript(double durationSeconds) =>
        $"""
        {Reading}
        The episode lasts {Timecode.Format(durationSeconds)}. Write:
        - "title": a short, specific title for the episode.
        - "description": one sentence on one line.
        - "summary": three to five paragraphs, separated by blank lines.
        - "chapters": the main sections in order. The first starts at "00:00"; each later one starts at the [mm:ss] of the line where its topic begins, later than the one before and before {Timecode.Format(durationSeconds)}. {ChapterDensity(durationSeconds)} Each has a short "title" and a one-line "summary".
        - "keywords": five to twelve topics, names or places.
        - "quotes": two to five notable sentences copied word for word from the transcript, each with the [mm:ss] of its line as "at".
        """;

    /// <summary>Instructions for notes on one part (the map step).</summary>
    public static string PartNotes(int part, int parts, double start, double end) =>
        $"""
        {Reading}
        This is part {part} of {parts} of one episode's transcript, from {Timecode.Format(start)} to {Timecode.Format(end)}. Write notes that a later step will combine:
        - "summary": what this part is about, in at most 120 words.
        - "chapters": up to four places in this part where a new topic begins: "start" is the [mm:ss] of that line, with a short "title" and a one-line "summary".
        - "keywords": up to eight topics, names or places.
        - "quotes": up to three notable sentences copied word for word from this part, each with the [mm:ss] of its line as "at".
        """;

    /// <summary>Instructions for the final answer written from the parts' notes (the reduce step).</summary>
    public static string FinalFromNotes(double durationSeconds, int parts) =>
        $"""
        You prepare podcast and video episodes for publishing. Below are notes on the {parts} consecutive parts of one episode's transcript, written by reading each part. The episode lasts {Timecode.Format(durationSeconds)}. Times are [mm:ss] from the start of the episode.
        Answer with one JSON object that follows the given schema, and nothing else:
        - "title": a short, specific title for the whole episode.
        - "description": one sentence on one line.
        - "summary": three to five paragraphs on the whole episode, separated by blank lines.
        - "chapters": the main sections in order, chosen from the notes' chapters. The first starts at "00:00"; each later one starts at a time given in the notes, later than the one before and before {Timecode.Format(durationSeconds)}. {ChapterDensity(durationSeconds)} Each has a short "title" and a one-line "summary".
        - "keywords": five to twelve topics, names or places of the whole episode.
        - "quotes": two to five of the notes' quotes, copied exactly with their "at".
        """;

    /// <summary>Instructions to merge the notes of several parts into one set of notes when all of them do not fit the context.</summary>
    public static string CombineNotes(int parts) =>
        $"""
        You prepare podcast and video episodes for publishing. Below are notes on {parts} consecutive parts of one episode's transcript. Combine them into one set of notes that follows the given schema, and nothing else:
        - "summary": what these parts are about, in at most 150 words.
        - "chapters": up to six of the notes' chapters, with their "start" unchanged.
        - "keywords": up to ten.
        - "quotes": up to four of the notes' quotes, copied exactly with their "at".
        """;

    /// <summary>What the model is told after an answer was rejected.</summary>
    public static string Correction(IReadOnlyList<string> problems) =>
        "Your answer was rejected:\n" + string.Join('\n', problems.Select(p => "- " + p)) +
        "\nAnswer again with the complete JSON object, with these problems fixed.";

    public static IReadOnlyList<ChatMessage> Conversation(string instructions, string material) =>
        [new(ChatRole.System, instructions), new(ChatRole.User, material)];

    /// <summary>The shortest gap between chapter starts that <see cref="EnrichmentValidator"/> accepts.</summary>
    public static double MinChapterSeconds(double durationSeconds) => Math.Clamp(durationSeconds / 4, 1, 60);

    private static string ChapterDensity(double durationSeconds) =>
        $"Chapters are at least {Timecode.Format(MinChapterSeconds(durationSeconds))} apart; at most {EnrichmentValidator.MaxChapters}.";

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
