using System.Text.Json.Serialization;
using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Enrich;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

public sealed record EnrichPartInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("part")] TranscriptPart Part,
    [property: JsonPropertyName("parts")] int Parts);

public sealed record EnrichPartOutput(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("notes")] string Notes);

/// <summary>What <c>enrichment/part-NNNN.json</c> holds: the notes and what they were made from.</summary>
internal sealed record PartNotesFile(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("part")] TranscriptPart Part,
    [property: JsonPropertyName("notes")] PartNotes Notes);

/// <summary>
/// The map step: the model reads one part of the transcript (with <c>[mm:ss]</c> markers) and writes
/// notes, validated and asked again when wrong, to <c>enrichment/part-NNNN.json</c>; only that
/// reference goes back to the orchestration. Notes made earlier from the same part, transcript, model
/// and prompts are kept, so a job after a failed one does not ask again.
/// </summary>
public sealed class EnrichPartActivity(
    DataLayout layout,
    IEnricher enricher,
    IOptions<PipelineOptions> options,
    ILogger<EnrichPartActivity> logger) : TaskActivity<EnrichPartInput, EnrichPartOutput>
{
    public override async Task<EnrichPartOutput> RunAsync(TaskActivityContext context, EnrichPartInput input)
    {
        var id = input.EpisodeId;
        var part = input.Part;
        var path = layout.EnrichmentPartPath(id, part.Index);
        var output = new EnrichPartOutput(part.Index, layout.ToRelative(path));
        var earlier = await AtomicFile.ReadJsonAsync<PartNotesFile>(path);
        if (earlier is not null && earlier.Fingerprint == input.Fingerprint && earlier.Part == part)
        {
            logger.PartNotesReused(id, part.Index);
            return output;
        }

        var transcript = await PrepareEnrichmentActivity.ReadTranscriptAsync(layout, id);
        var segments = transcript.Segments.Skip(part.FirstSegment).Take(part.SegmentCount).ToList();
        var words = new TranscriptWords(segments);
        var notes = await ValidatedAnswers.AskAsync(
            enricher,
            EnrichmentPrompts.Conversation(
                EnrichmentPrompts.PartNotes(part.Index + 1, input.Parts, part.Start, part.End),
                TranscriptSplitter.Lines(transcript.Segments, part.FirstSegment, part.SegmentCount)),
            EnrichmentPrompts.NotesSchema,
            TokenEstimate.NotesAnswerTokens,
            options.Value.Ollama.Attempts,
            (answer, problems) => EnrichmentValidator.ValidateNotes(answer, words, part.Start, part.End, problems),
            $"notes on part {part.Index + 1}/{input.Parts}",
            id,
            logger,
            CancellationToken.None);

        await AtomicFile.WriteJsonAsync(path, new PartNotesFile(input.Fingerprint, part, notes));
        logger.PartNotesWritten(id, part.Index, notes.Chapters.Count, notes.Quotes.Count);
        return output;
    }
}
