using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Jobs;

/// <summary>
/// A batch job's result and the summary its webhook carries: which episodes reached the target stage, which failed, and
/// which were left alone. Ids and one-line reasons only; each episode's own job (<see cref="JobIds"/>) has the details.
/// </summary>
public sealed record BatchResult
{
    /// <summary>Episodes whose job completed.</summary>
    [JsonPropertyName("succeeded")] public int Succeeded => SucceededIds.Count;

    /// <summary>Episodes whose job failed, or that could not be handed a job.</summary>
    [JsonPropertyName("failed")] public int Failed => FailedIds.Count;

    [JsonPropertyName("succeeded_ids")] public IReadOnlyList<string> SucceededIds { get; init; } = [];
    [JsonPropertyName("failed_ids")] public IReadOnlyList<string> FailedIds { get; init; } = [];

    /// <summary>
    /// Episodes below the target stage that the batch did not process: another job for the episode was queued or running,
    /// or its media was still arriving or unreadable. <see cref="Reasons"/> says which.
    /// </summary>
    [JsonPropertyName("skipped_ids")] public IReadOnlyList<string> SkippedIds { get; init; } = [];

    [JsonPropertyName("target_stage")] public required EpisodeStage TargetStage { get; init; }

    /// <summary>
    /// Episode id → the ProcessEpisode job that handled it (<c>GET /async/jobs/{id}</c>): the one the batch ran, or for an
    /// episode skipped because of it, the job it already had.
    /// </summary>
    [JsonPropertyName("job_ids")] public IReadOnlyDictionary<string, string> JobIds { get; init; } = new Dictionary<string, string>();

    /// <summary>Episode id → why it failed or was skipped, as its job's <c>error</c> says it.</summary>
    [JsonPropertyName("reasons")] public IReadOnlyDictionary<string, string> Reasons { get; init; } = new Dictionary<string, string>();

    /// <summary>The schedule's occurrence the batch ran for; null when started by hand.</summary>
    [JsonPropertyName("scheduled_for")] public DateTimeOffset? ScheduledFor { get; init; }
}
