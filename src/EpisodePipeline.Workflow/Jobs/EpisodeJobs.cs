using EpisodePipeline.Logging;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Starts ProcessEpisode jobs, at most one active per episode: a start while the episode's job is queued
/// or running joins that job. The episode's active job is kept in the catalog (<c>active_job_id</c>).
/// </summary>
/// <remarks>
/// The job is recorded in the catalog before it is scheduled, so a catalog that cannot be written
/// schedules nothing. A recorded job that never got scheduled is harmless: it is not active, so the next
/// start schedules a new one. Starts are serialised within this process; one process owns a data folder.
/// </remarks>
public sealed class EpisodeJobs(EpisodeCatalog catalog, DataLayout layout, ILogger<EpisodeJobs> logger) : IDisposable
{
    /// <summary>The orchestration every job runs; other orchestrations in the task hub are not jobs.</summary>
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

    /// <summary>The episode's job while it is queued or running; null otherwise.</summary>
    public async Task<string?> FindActiveAsync(DurableTaskClient client, string episodeId, CancellationToken cancellationToken)
    {
        var episode = await catalog.FindAsync(episodeId, cancellationToken);
        if (episode?.ActiveJobId is not { } jobId)
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken);
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
            try
            {
                await catalog.UpdateAsync(input.EpisodeId, e => e with { ActiveJobId = jobId }, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new JobNotStartedException(
                    $"The catalog in the data folder '{layout.DataFolder}' cannot be written ({ex.Message}); no job was started. Make the folder writable for the host and submit again.",
                    ex);
            }

            await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationName, input, new StartOrchestrationOptions(jobId), cancellationToken);
            logger.JobScheduled(jobId, input.EpisodeId, Models.WireName.Of(input.TargetStage));
            return new JobTicket(jobId, Existing: false);
        }
        finally
        {
            _startLock.Release();
        }
    }

    public void Dispose() => _startLock.Dispose();
}
