using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EpisodePipeline.Activities;

/// <param name="JobId">The id the batch will give the episode's ProcessEpisode sub-orchestration.</param>
/// <param name="BatchId">The batch's own job id.</param>
public sealed record ClaimEpisodeInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("batch_id")] string BatchId);

/// <param name="ActiveJobId">Null: the episode is the batch's now. Otherwise the job the episode already has queued or running.</param>
public sealed record EpisodeClaim([property: JsonPropertyName("active_job_id")] string? ActiveJobId);

/// <summary>
/// Keeps the rule of one active job per episode for batches: records the batch's job for the episode in the catalog
/// (<see cref="EpisodeJobs.ClaimForBatchAsync"/>, under the same lock as a submit), unless the episode already has a
/// queued or running job, which the batch then leaves alone. A submit for the episode afterwards joins the batch's job.
/// </summary>
/// <remarks>
/// Needs the host's <see cref="DurableTaskClient"/> to see the recorded job's status: the standalone host and the test
/// host have one in their services; the Functions app passes its <c>[DurableClient]</c> binding in.
/// </remarks>
public sealed class ClaimEpisodeActivity(EpisodeJobs jobs, DurableTaskClient client) : TaskActivity<ClaimEpisodeInput, EpisodeClaim>
{
    public override async Task<EpisodeClaim> RunAsync(TaskActivityContext context, ClaimEpisodeInput input) =>
        new(await jobs.ClaimForBatchAsync(client, input.EpisodeId, input.JobId, input.BatchId, CancellationToken.None));
}
