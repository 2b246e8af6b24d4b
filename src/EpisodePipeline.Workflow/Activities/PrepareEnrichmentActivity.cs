using System.Security.Cryptography;
using System.Text;
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

public sealed record PrepareEnrichmentInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("force_reprocess")] bool ForceReprocess);

/// <param name="Fingerprint">Transcript content + model + prompt version; stored with the enrichment.</param>
/// <param name="Reused">An enrichment with this fingerprint exists and is kept as it is.</param>
/// <param name="Parts">Transcript parts, each analysed by one map call; one part when <paramref name="Direct"/>.</param>
/// <param name="Direct">The whole transcript fits one call: no map step, the final answer is written from it.</param>
/// <param name="Parallelism">Map calls to run at once.</param>
public sealed record PrepareEnrichmentOutput(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("reused")] EnrichOutcome? Reused,
    [property: JsonPropertyName("parts")] IReadOnlyList<TranscriptPart> Parts,
    [property: JsonPropertyName("direct")] bool Direct,
    [property: JsonPropertyName("parallelism")] int Parallelism);

/// <summary>
/// Reads the transcript and fingerprints it with the model and prompt version; either finds a reusable
/// enrichment, or checks that Ollama answers and has the model (so a missing model fails the job before
/// any work) and splits the transcript into parts that fit the model's context.
/// </summary>
public sealed class PrepareEnrichmentActivity(
    DataLayout layout,
    IEnricher enricher,
    IOptions<PipelineOptions> options,
    ILogger<PrepareEnrichmentActivity> logger) : TaskActivity<PrepareEnrichmentInput, PrepareEnrichmentOutput>
{
    public override async Task<PrepareEnrichmentOutput> RunAsync(TaskActivityContext context, PrepareEnrichmentInput input)
    {
        var id = input.EpisodeId;
        var transcript = await ReadTranscriptAsync(layout, id);
        var fingerprint = Fingerprint(transcript, enricher.Model);
        if (!input.ForceReprocess)
        {
            var existing = await AtomicFile.ReadJsonAsync<Enrichment>(layout.EnrichmentPath(id));
            if (existing?.Fingerprint == fingerprint)
            {
                logger.EnrichmentReused(id);
                var reused = Outcome(layout, existing, parts: 0) with { Reused = true };
                return new PrepareEnrichmentOutput(fingerprint, reused, [], Direct: false, Parallelism: 1);
            }
        }
        else if (Directory.Exists(layout.EnrichmentFolder(id)))
        {
            // Notes of an earlier job would otherwise be picked up again by EnrichPart.
            Directory.Delete(layout.EnrichmentFolder(id), recursive: true);
        }

        await enricher.EnsureReadyAsync(CancellationToken.None);

        var ollama = options.Value.Ollama;
        var duration = DurationOf(transcript);
        var tokens = TranscriptSplitter.Tokens(transcript.Segments);
        var direct = tokens <= TokenEstimate.Budget(ollama.ContextTokens, TokenEstimate.FinalAnswerTokens, EnrichmentPrompts.FinalFromTranscript(duration));
        IReadOnlyList<TranscriptPart> parts = direct
            ? [new TranscriptPart(0, 0, transcript.Segments.Count, 0, duration, tokens)]
            : TranscriptSplitter.Split(
                transcript.Segments,
                TokenEstimate.Budget(ollama.ContextTokens, TokenEstimate.NotesAnswerTokens, EnrichmentPrompts.PartNotes(999, 999, duration, duration)));
        logger.EnrichmentPlanned(id, tokens, parts.Count, ollama.ContextTokens);
        return new PrepareEnrichmentOutput(fingerprint, null, parts, direct, ollama.MaxParallelRequests);
    }

    internal static async Task<Transcript> ReadTranscriptAsync(DataLayout layout, string episodeId)
    {
        var transcript = await AtomicFile.ReadJsonAsync<Transcript>(layout.TranscriptPath(episodeId));
        if (transcript is null || transcript.Segments.Count == 0)
        {
            throw new EnrichmentFailedException(
                transcript is null
                    ? $"Episode '{episodeId}' has no transcript; process it to 'transcribed' first."
                    : $"The transcript of episode '{episodeId}' is empty: there is no speech to enrich.");
        }

        return transcript;
    }

    /// <summary>The episode's length as the transcript knows it (the last segment's end when the duration is unknown).</summary>
    internal static double DurationOf(Transcript transcript) =>
        Math.Max(transcript.DurationSeconds, transcript.Segments.Count == 0 ? 0 : transcript.Segments[^1].End);

    /// <summary>Same transcript text and times + same model + same prompt version → same fingerprint.</summary>
    internal static string Fingerprint(Transcript transcript, string model)
    {
        var text = new StringBuilder();
        foreach (var s in transcript.Segments)
        {
            text.Append(TranscriptSplitter.Line(s));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
        return $"{hash}-{model}-p{EnrichmentPrompts.Version}";
    }

    internal static EnrichOutcome Outcome(DataLayout layout, Enrichment enrichment, int parts) => new()
    {
        EpisodeId = enrichment.EpisodeId,
        Parts = parts,
        Chapters = enrichment.Chapters.Count,
        Quotes = enrichment.Quotes.Count,
        Model = enrichment.Model,
        Artifacts = new Dictionary<string, string> { [ArtifactKinds.Enrichment] = layout.ToRelative(layout.EnrichmentPath(enrichment.EpisodeId)) },
    };
}
