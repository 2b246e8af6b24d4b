using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Services.Rendering;
using Microsoft.DurableTask;

namespace EpisodePipeline.Orchestrations;

/// <summary>
/// The Render stage's part of the ProcessEpisode orchestration: one activity that publishes the episode,
/// with progress in the <see cref="JobPhase.Rendering"/> band (80 before, 95 after). Deterministic: no I/O here.
/// The caller reports <see cref="JobPhase.Completed"/> afterwards.
/// </summary>
internal static class RenderSteps
{
    // Render only writes local files: an I/O error (a file held open by a reader on Windows, a disk freed by a
    // clean-up) may clear; a missing transcript or media file, or a template that does not parse, never will.
    private static readonly TaskOptions RenderRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(1))
    {
        HandleFailure = failure => failure.IsCausedBy<IOException>() && !failure.IsCausedBy<FileNotFoundException>(),
    });

    public static async Task<RenderOutcome> RunAsync(TaskOrchestrationContext context, string episodeId, Action<PipelineStatus> report)
    {
        var band = JobPhases.Band(JobPhase.Rendering);
        report(new PipelineStatus { Phase = JobPhase.Rendering, Progress = band.From, Message = "Rendering the page, captions, chapters and feed" });
        var outcome = await context.CallActivityAsync<RenderOutcome>(nameof(RenderEpisodeActivity), new RenderEpisodeInput(episodeId), RenderRetry);
        report(new PipelineStatus
        {
            Phase = JobPhase.Rendering,
            Progress = band.To,
            Message = $"Rendered the page with {outcome.Segments} transcript segments and {outcome.Chapters} chapters",
            EtaSeconds = 0,
        });
        return outcome;
    }
}
