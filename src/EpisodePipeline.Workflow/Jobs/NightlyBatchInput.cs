using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Input of the NightlyBatch orchestration, settled by its starter (<see cref="BatchJobs"/>) from <c>Pipeline:Batch</c>
/// and the request, so replays and the job API see one value.
/// </summary>
/// <param name="TargetStage">The stage every episode is taken to.</param>
/// <param name="MaxParallelJobs">ProcessEpisode sub-orchestrations running at once (at least 1).</param>
/// <param name="WebhookUrl">Where the summary is POSTed; null: nowhere.</param>
/// <param name="ScheduledFor">The schedule's occurrence this batch is for (UTC); null when started by hand.</param>
public sealed record NightlyBatchInput(
    [property: JsonPropertyName("target_stage")] EpisodeStage TargetStage,
    [property: JsonPropertyName("max_parallel_jobs")] int MaxParallelJobs,
    [property: JsonPropertyName("webhook_url")] string? WebhookUrl,
    [property: JsonPropertyName("scheduled_for")] DateTimeOffset? ScheduledFor);
