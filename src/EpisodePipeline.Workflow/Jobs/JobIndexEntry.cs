using Microsoft.DurableTask.Client;

namespace EpisodePipeline.Jobs;

/// <summary>What the <see cref="JobIndex"/> keeps of one job: enough to filter, order and count, nothing of its result.</summary>
/// <param name="JobId">The orchestration's instance id.</param>
/// <param name="JobType">From <see cref="JobTypes"/>, e.g. <c>process_episode</c>.</param>
/// <param name="RuntimeStatus">The durable status as the store last reported it.</param>
/// <param name="CreatedAt">The store's creation time of the job; the in-memory backend moves it once, by a moment, from the scheduling to the start event.</param>
/// <param name="LastUpdatedAt">The store's last update time of the status above; a view older than this is ignored.</param>
/// <param name="EpisodeId">From the job's input; null for jobs without one episode.</param>
public sealed record JobIndexEntry(
    string JobId,
    string JobType,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? EpisodeId)
{
    /// <summary>The contract's status word.</summary>
    public JobStatus Status => JobStatusMapper.StatusOf(RuntimeStatus);

    /// <summary>Queued or running: the store may still change it.</summary>
    public bool IsActive => JobStatusMapper.IsActive(RuntimeStatus);
}
