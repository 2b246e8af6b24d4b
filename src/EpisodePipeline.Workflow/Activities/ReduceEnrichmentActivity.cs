using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Enrich;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

/// <param name="Notes">The map step's notes files in transcript order; empty when the model reads the whole transcript.</param>
public sealed record ReduceEnrichmentInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes);

/// <summary>
/// The reduce step: the model writes the final title, description, summary, chapters, keywords and
/// quotes from the parts' notes (or straight from a transcript that fits one call). Notes that together
/// do not fit the context are first combined group by group. The answer is validated against the whole
/// transcript and asked again with the problems until it passes or the attempts are spent; then
/// <c>enrichment.json</c> is written and the episode is marked enriched.
/// </summary>
public sealed class ReduceEnrichmentActivity(
    EpisodeCatalog catalog,
    DataLayout layout,
    IEnricher enricher,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<ReduceEnrichmentActivity> logger) : TaskActivity<ReduceEnrichmentInput, EnrichOutcome>
{
    private static readonly JsonSerializerOptions NotesJson = new(JsonSerializerDefaults.Web);

    public override async Task<EnrichOutcome> RunAsync(TaskActivityContext context, ReduceEnrichmentInput input)
    {
        var id = input.EpisodeId;
        var ollama = options.Value.Ollama;
        var transcript = await PrepareEnrichmentActivity.ReadTranscriptAsync(layout, id);
        var duration = PrepareEnrichmentActivity.DurationOf(transcript);
        var words = new TranscriptWords(transcript.Segments);

        IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> conversation;
        if (input.Notes.Count == 0)
        {
            conversation = EnrichmentPrompts.Conversation(
                EnrichmentPrompts.FinalFromTranscript(duration),
                TranscriptSplitter.Lines(transcript.Segments, 0, transcript.Segments.Count));
        }
        else
        {
            var notes = new List<PartNotesFile>();
            foreach (var path in input.Notes)
            {
                notes.Add(await AtomicFile.ReadJsonAsync<PartNotesFile>(layout.FromRelative(path))
                    ?? throw new InvalidOperationException($"Notes file '{path}' of episode '{id}' is missing."));
            }

            notes = await CombineUntilTheyFitAsync(id, notes, words, duration);
            conversation = EnrichmentPrompts.Conversation(EnrichmentPrompts.FinalFromNotes(duration, notes.Count), Material(notes));
        }

        var validated = await ValidatedAnswers.AskAsync(
            enricher,
            conversation,
            EnrichmentPrompts.FinalSchema,
            TokenEstimate.FinalAnswerTokens,
            ollama.Attempts,
            (answer, problems) => EnrichmentValidator.ValidateFinal(answer, words, duration, problems),
            "enrichment",
            id,
            logger,
            CancellationToken.None);

        var enrichment = validated with
        {
            EpisodeId = id,
            Model = enricher.Model,
            Fingerprint = input.Fingerprint,
            CreatedAt = time.GetUtcNow(),
        };
        await AtomicFile.WriteJsonAsync(layout.EnrichmentPath(id), enrichment);

        var outcome = PrepareEnrichmentActivity.Outcome(layout, enrichment, Math.Max(1, input.Notes.Count));
        await catalog.UpdateAsync(id, e => e with
        {
            // A new enrichment makes any pages rendered from the old one stale.
            Stage = EpisodeStage.Enriched,
            Artifacts = new Dictionary<string, string>(e.Artifacts) { [ArtifactKinds.Enrichment] = outcome.Artifacts[ArtifactKinds.Enrichment] },
        }, CancellationToken.None);

        logger.EnrichmentWritten(id, enrichment.Chapters.Count, enrichment.Quotes.Count);
        return outcome;
    }

    /// <summary>
    /// Long episodes on small contexts: while the notes do not fit one reduce call, neighbouring notes are
    /// combined by the model into one set of notes per group that does fit.
    /// </summary>
    private async Task<List<PartNotesFile>> CombineUntilTheyFitAsync(string id, List<PartNotesFile> notes, TranscriptWords words, double duration)
    {
        var ollama = options.Value.Ollama;
        var combineBudget = TokenEstimate.Budget(ollama.ContextTokens, TokenEstimate.NotesAnswerTokens, EnrichmentPrompts.CombineNotes(notes.Count));
        while (notes.Count > 1 &&
               TokenEstimate.Of(Material(notes)) > TokenEstimate.Budget(ollama.ContextTokens, TokenEstimate.FinalAnswerTokens, EnrichmentPrompts.FinalFromNotes(duration, notes.Count)))
        {
            var groups = new List<List<PartNotesFile>> { new() };
            foreach (var note in notes)
            {
                if (groups[^1].Count > 0 && TokenEstimate.Of(Material([.. groups[^1], note])) > combineBudget)
                {
                    groups.Add([]);
                }

                groups[^1].Add(note);
            }

            if (groups.Count == notes.Count)
            {
                break; // every note fills a call on its own: nothing left to combine
            }

            logger.NotesCombined(id, notes.Count, groups.Count);
            var combined = new List<PartNotesFile>();
            foreach (var group in groups)
            {
                if (group.Count == 1)
                {
                    combined.Add(group[0]);
                    continue;
                }

                var first = group[0].Part;
                var last = group[^1].Part;
                var merged = await ValidatedAnswers.AskAsync(
                    enricher,
                    EnrichmentPrompts.Conversation(EnrichmentPrompts.CombineNotes(group.Count), Material(group)),
                    EnrichmentPrompts.NotesSchema,
                    TokenEstimate.NotesAnswerTokens,
                    ollama.Attempts,
                    (answer, problems) => EnrichmentValidator.ValidateNotes(answer, words, first.Start, last.End, problems),
                    $"combined notes on parts {first.Index + 1}-{last.Index + 1}",
                    id,
                    logger,
                    CancellationToken.None);
                combined.Add(group[0] with
                {
                    Part = first with { SegmentCount = last.FirstSegment + last.SegmentCount - first.FirstSegment, End = last.End, Tokens = 0 },
                    Notes = merged,
                });
            }

            notes = combined;
        }

        return notes;
    }

    /// <summary>The notes as the model reads them: one heading per part with its time span, then its notes as JSON.</summary>
    private static string Material(IEnumerable<PartNotesFile> notes)
    {
        var text = new StringBuilder();
        foreach (var note in notes)
        {
            text.Append($"Part from {Timecode.Format(note.Part.Start)} to {Timecode.Format(note.Part.End)}:\n");
            text.Append(JsonSerializer.Serialize(note.Notes, NotesJson)).Append("\n\n");
        }

        return text.ToString();
    }
}
