using System.Globalization;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UUIDNext;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Starts NightlyBatch jobs: one per scheduled time (the Functions timer, the standalone host's scheduler), or one by
/// hand (<c>POST /async/batches</c>). Settles the batch's input from <c>Pipeline:Batch</c> and the request.
/// </summary>
/// <remarks>
/// A scheduled batch's job id is a name-based GUID (UUID v5, RFC 9562) of its scheduled instant, so every trigger for
/// the same time, on any host sharing the task hub, names the same instance. It is started only if that instance does
/// not exist: checked first, then scheduled with every status as a dedupe status, and when the schedule call fails the
/// instance is looked up again, so a trigger that lost the race to a concurrent one reports the winner's job.
/// </remarks>
public sealed class BatchJobs(IOptions<PipelineOptions> options, ILogger<BatchJobs> logger)
{
    /// <summary>The orchestration every batch job runs.</summary>
    public static readonly string OrchestrationName = nameof(NightlyBatchOrchestrator);

    /// <summary>Why a scheduled occurrence starts nothing while <c>Pipeline:Batch:Enabled</c> is false.</summary>
    public const string DisabledReason = "Pipeline:Batch:Enabled is false (POST /async/batches still starts a batch by hand).";

    /// <summary>The UUID v5 namespace of scheduled batch ids. Never change it: the ids of past batches would no longer match.</summary>
    public static readonly Guid ScheduleNamespace = new("8c0f3a52-6d1e-4b7a-9f25-1e6d4c3b2a90");

    // A second trigger must never replace a batch, whatever its state.
    private static readonly OrchestrationRuntimeStatus[] AnyStatus =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>
    /// The job id of the batch for <paramref name="scheduledFor"/>: UUID v5 in <see cref="ScheduleNamespace"/> of the instant
    /// in UTC to the second (<c>2026-12-01T02:00:00Z</c>), lower-case <c>D</c> format. The same instant in any offset gives the same id.
    /// </summary>
    public static string ScheduledJobId(DateTimeOffset scheduledFor) =>
        Uuid.NewNameBased(ScheduleNamespace, ToSecond(scheduledFor).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).ToString("D");

    /// <summary>The batch's input: <paramref name="targetStage"/> and <paramref name="webhookUrl"/> when given, else <c>Pipeline:Batch</c>'s.</summary>
    public NightlyBatchInput Input(DateTimeOffset? scheduledFor, EpisodeStage? targetStage = null, string? webhookUrl = null)
    {
        var batch = options.Value.Batch;
        var target = targetStage ?? (TargetStages.TryParse(batch.TargetStage, out var configured) ? configured : ProcessEpisodeOrchestrator.HighestSupportedStage);
        var hook = webhookUrl ?? (batch.WebhookUrl.Length > 0 ? batch.WebhookUrl : null);
        return new NightlyBatchInput(target, batch.MaxParallelJobs, hook, scheduledFor is { } at ? ToSecond(at) : null);
    }

    /// <summary>Starts the batch for <paramref name="scheduledFor"/> unless it exists already, in whatever state.</summary>
    /// <returns>The batch's job; <see cref="JobTicket.Existing"/> when this trigger started nothing.</returns>
    public async Task<JobTicket> StartScheduledAsync(DurableTaskClient client, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        var input = Input(scheduledFor);
        var jobId = ScheduledJobId(scheduledFor);
        if (await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            logger.BatchAlreadyStarted(jobId, input.ScheduledFor!.Value);
            return new JobTicket(jobId, Existing: true);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationName, input, new StartOrchestrationOptions(jobId).WithDedupeStatuses(AnyStatus), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another trigger for the same time created it between our look and our start, and the backend refused the
            // duplicate; anything else is a real failure.
            if (await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken) is null)
            {
                throw;
            }

            logger.BatchAlreadyStarted(jobId, input.ScheduledFor!.Value);
            return new JobTicket(jobId, Existing: true);
        }

        logger.BatchScheduled(jobId, $"scheduled for {input.ScheduledFor:O}", WireName.Of(input.TargetStage), input.MaxParallelJobs);
        return new JobTicket(jobId, Existing: false);
    }

    /// <summary>Starts a batch now, by hand, under a new random job id.</summary>
    public async Task<string> StartNowAsync(DurableTaskClient client, EpisodeStage? targetStage, string? webhookUrl, CancellationToken cancellationToken)
    {
        var input = Input(scheduledFor: null, targetStage, webhookUrl);
        var jobId = Guid.NewGuid().ToString("D");
        await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationName, input, new StartOrchestrationOptions(jobId), cancellationToken);
        logger.BatchScheduled(jobId, "by hand", WireName.Of(input.TargetStage), input.MaxParallelJobs);
        return jobId;
    }

    private static DateTimeOffset ToSecond(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
