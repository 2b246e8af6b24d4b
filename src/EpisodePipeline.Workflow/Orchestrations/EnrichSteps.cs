using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Services.Enrich;
using Microsoft.DurableTask;

namespace EpisodePipeline.Orchestrations;

/// <summary>
/// The Enrich stage as orchestration steps, called by <see cref="ProcessEpisodeOrchestrator"/> after
/// transcription: prepare (reuse check, Ollama and model check, split), the map calls fanned out up to
/// the configured parallelism (each part's notes land in a file, so a crashed host resumes after the
/// last finished part), then reduce and validate. Progress goes through <c>report</c> in the
/// <c>enriching</c> band (40–80) after every step and every finished part. Deterministic: only
/// activity calls and orchestration time.
/// </summary>
internal static class EnrichSteps
{
    // A Ollama restart or an overloaded GPU heals; a missing model or answers that stay invalid do not
    // (and the HTTP pipeline has already retried time-outs and connection errors inside each attempt).
    private static readonly TaskOptions ModelRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 2,
        firstRetryInterval: TimeSpan.FromSeconds(10))
    {
        HandleFailure = failure => !failure.IsCausedBy<EnrichmentFailedException>(),
    });

    public static async Task<EnrichOutcome> RunAsync(TaskOrchestrationContext context, string episodeId, bool force, Action<PipelineStatus> report)
    {
        var (from, to) = JobPhases.Band(JobPhase.Enriching);
        report(new PipelineStatus { Phase = JobPhase.Enriching, Progress = from, Message = "Checking the language model" });
        var plan = await context.CallActivityAsync<PrepareEnrichmentOutput>(
            nameof(PrepareEnrichmentActivity), new PrepareEnrichmentInput(episodeId, force), ModelRetry);
        if (plan.Reused is { } reused)
        {
            report(new PipelineStatus
            {
                Phase = JobPhase.Enriching,
                Progress = to,
                Message = "Reused the enrichment made earlier from the same transcript, model and prompts",
                EtaSeconds = 0,
                Reused = true,
            });
            return reused;
        }

        // The reduce call counts as one more unit of work after the parts.
        var total = plan.Parts.Count;
        var units = plan.Direct ? 1 : total + 1;
        var started = context.CurrentUtcDateTime;
        var notes = new EnrichPartOutput[plan.Direct ? 0 : total];
        var done = 0;
        if (!plan.Direct)
        {
            var running = new List<Task<EnrichPartOutput>>();
            var next = 0;
            while (done < total)
            {
                while (running.Count < plan.Parallelism && next < total)
                {
                    running.Add(context.CallActivityAsync<EnrichPartOutput>(
                        nameof(EnrichPartActivity), new EnrichPartInput(episodeId, plan.Fingerprint, plan.Parts[next++], total), ModelRetry));
                }

                report(new PipelineStatus
                {
                    Phase = JobPhase.Enriching,
                    Progress = JobPhases.Progress(JobPhase.Enriching, done, units),
                    Message = $"Analysing part {Math.Min(done + 1, total)}/{total}",
                    EtaSeconds = JobPhases.EtaSeconds(started, context.CurrentUtcDateTime, done, units),
                });

                var finished = await Task.WhenAny(running);
                running.Remove(finished);
                var part = await finished;
                notes[part.Index] = part;
                done++;
            }
        }

        report(new PipelineStatus
        {
            Phase = JobPhase.Enriching,
            Progress = JobPhases.Progress(JobPhase.Enriching, done, units),
            Message = plan.Direct ? "Writing title, summary, chapters and quotes" : $"Writing title, summary, chapters and quotes from {total} parts",
            EtaSeconds = JobPhases.EtaSeconds(started, context.CurrentUtcDateTime, done, units),
        });
        var outcome = await context.CallActivityAsync<EnrichOutcome>(
            nameof(ReduceEnrichmentActivity), new ReduceEnrichmentInput(episodeId, plan.Fingerprint, [.. notes.Select(n => n.Notes)]), ModelRetry);

        report(new PipelineStatus
        {
            Phase = JobPhase.Enriching,
            Progress = to,
            Message = $"Enriched: {outcome.Chapters} chapters, {outcome.Quotes} quotes",
            EtaSeconds = 0,
        });
        return outcome;
    }
}
