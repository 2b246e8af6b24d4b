using EpisodePipeline.Logging;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Starts ProcessEpisode jobs, at most one active per episode: a start while the episode's job is queued
/// or running joins that job. The episode's active job is kept in the catalog (<c>active_job_id</c>); a batch
/// records its sub-orchestrations there too (<see cref="ClaimForBatchAsync"/>).
/// </summary>
/// <remarks>
/// The job is recorded in the catalog before it is scheduled, so a catalog that cannot be written
/// schedules nothing. A recorded job that never got scheduled is harmless: it is not active, so the next
/// start schedules a new one. Starts are serialised within this process; one process owns a data folder.
/// </remarks>
public sealed class EpisodeJobs(EpisodeCatalog catalog, DataLayout layout, ILogger<EpisodeJobs> logger) : IDisposable
{
    /// <summary>The orchestration every episode's job runs (<see cref="JobTypes"/> lists every kind of job).</summary>
    public static readonly string OrchestrationName = nameof(ProcessEpisodeOrchestrator);

    private readonly SemaphoreSlim _startLock = new(1, 1);

    /// <summary>
    /// The canonical form of a job id (lower-case GUID, <c>D</c> format), or false when <paramref name="text"/>
    /// is no GUID. Backends differ in case sensitivity; Azure Storage finds only the exact id.
    /// </summary>
    public static bool TryNormalizeJobId(string? text, out string jobId)
    {
        var ok = Guid.TryParse(text, out var guid);
        jobId = ok ? guid.ToString("D") : "";
        return ok;
    }

    /// <summary>
    /// The episode's job while it is queued or running; null otherwise. A batch's job that is recorded but not created
    /// yet counts as active while its batch is.
    /// </summary>
    public async Task<string?> FindActiveAsync(DurableTaskClient client, string episodeId, CancellationToken cancellationToken)
    {
        var episode = await catalog.FindAsync(episodeId, cancellationToken);
        if (episode?.ActiveJobId is not { } jobId)
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null && episode.ActiveBatchId is { } batchId)
        {
            // The batch records its sub-orchestration's id before it schedules it: without this, a submit in between
            // would start a second job for the episode.
            metadata = await client.GetInstanceAsync(batchId, getInputsAndOutputs: false, cancellationToken);
        }

        return metadata is not null && JobStatusMapper.IsActive(metadata.RuntimeStatus) ? jobId : null;
    }

    /// <summary>Joins the episode's active job, or records and schedules a new one.</summary>
    /// <exception cref="JobNotStartedException">The catalog could not be written; nothing was scheduled.</exception>
    public async Task<JobTicket> StartOrJoinAsync(DurableTaskClient client, ProcessEpisodeInput input, CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (await FindActiveAsync(client, input.EpisodeId, cancellationToken) is { } active)
            {
                return new JobTicket(active, Existing: true);
            }

            var jobId = Guid.NewGuid().ToString("D");
            await RecordAsync(input.EpisodeId, jobId, batchId: null, cancellationToken);
            await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationName, input, new StartOrchestrationOptions(jobId), cancellationToken);
            logger.JobScheduled(jobId, input.EpisodeId, Models.WireName.Of(input.TargetStage));
            return new JobTicket(jobId, Existing: false);
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>
    /// Records <paramref name="jobId"/>, a sub-orchestration the batch <paramref name="batchId"/> is about to start, as the
    /// episode's job, unless the episode already has a queued or running job: then nothing changes and that job's id
    /// comes back. Idempotent: claiming again with the same job id succeeds (an activity may run twice).
    /// </summary>
    /// <returns>Null when the episode is now the batch's; otherwise the job it already has.</returns>
    /// <exception cref="JobNotStartedException">The catalog could not be written.</exception>
    public async Task<string?> ClaimForBatchAsync(DurableTaskClient client, string episodeId, string jobId, string batchId, CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (await FindActiveAsync(client, episodeId, cancellationToken) is { } active && active != jobId)
            {
                return active;
            }

            await RecordAsync(episodeId, jobId, batchId, cancellationToken);
            logger.BatchJobClaimed(batchId, jobId, episodeId);
            return null;
        }
        finally
        {
            _startLock.Release();
        }
    }

    private async Task RecordAsync(string episodeId, string jobId, string? batchId, CancellationToken cancellationToken)
    {
        try
        {
            await catalog.UpdateAsync(episodeId, e => e with { ActiveJobId = jobId, ActiveBatchId = batchId }, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JobNotStartedException(
                $"The catalog in the data folder '{layout.DataFolder}' cannot be written ({ex.Message}); no job was started. Make the folder writable for the host and submit again.",
                ex);
        }
    }

    public void Dispose() => _startLock.Dispose();
}
