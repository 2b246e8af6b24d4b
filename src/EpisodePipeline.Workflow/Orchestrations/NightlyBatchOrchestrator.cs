using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Orchestrations;

/// <summary>
/// The nightly batch: discovers episodes (<see cref="PlanBatchActivity"/>), takes every one below the target stage there
/// as a <see cref="ProcessEpisodeOrchestrator"/> sub-orchestration, at most <see cref="NightlyBatchInput.MaxParallelJobs"/>
/// at once, and ends with a <see cref="BatchResult"/> that it also POSTs to the batch webhook (<see cref="NotifySteps"/>).
/// </summary>
/// <remarks>
/// <para>An episode whose job fails is counted as failed; the batch goes on and completes. Only a discovery that keeps
/// failing fails the batch (its webhook then says <c>batch.failed</c>).</para>
/// <para>One active job per episode: before each sub-orchestration, <see cref="ClaimEpisodeActivity"/> records it as the
/// episode's job, so a submit for the episode joins it; an episode that already has a queued or running job is skipped.
/// Each sub-orchestration is a job of its own (<c>process_episode</c>, with a deterministic GUID id), listed in
/// <see cref="BatchResult.JobIds"/>.</para>
/// <para>Progress: <c>discovering</c> 5, then <c>processing</c> 10–95 by finished episodes (<c>Episode 4/12</c>) with an ETA
/// from the time the finished ones took. Deterministic: time and ids come from the orchestration context.</para>
/// </remarks>
public sealed class NightlyBatchOrchestrator : TaskOrchestrator<NightlyBatchInput, BatchResult>
{
    // Discovery reads the input folders and rewrites the catalog: a busy or network disk may fail it once, and it is idempotent.
    private static readonly TaskOptions DiscoveryRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(5)));

    private readonly List<EpisodeRun> _runs = [];
    private PipelineStatus _status = new() { Phase = JobPhase.Queued, Message = "Waiting for a worker" };

    public override async Task<BatchResult> RunAsync(TaskOrchestrationContext context, NightlyBatchInput input)
    {
        var logger = context.CreateReplaySafeLogger<NightlyBatchOrchestrator>();
        try
        {
            Report(context, new PipelineStatus { Phase = JobPhase.Discovering, Progress = JobPhases.Band(JobPhase.Discovering).From, Message = "Discovering episodes" });
            var plan = await context.CallActivityAsync<BatchPlan>(nameof(PlanBatchActivity), new PlanBatchInput(input.TargetStage), DiscoveryRetry);
            _runs.AddRange(plan.Skipped.Select(s => new EpisodeRun(s.Key, null, EpisodeOutcome.Skipped, s.Value)));
            await ProcessAsync(context, input, plan.EpisodeIds);
        }
        catch (TaskFailedException ex)
        {
            var cause = JobStatusMapper.RootCause(ex.FailureDetails);
            logger.BatchFailed(context.InstanceId, cause);
            if (input.WebhookUrl is { } failedHook)
            {
                var outcome = await NotifySteps.RunAsync(context, WebhookNotification.ForBatch(failedHook, context.InstanceId, Summary(input), cause));
                Report(context, _status with { Webhook = outcome });
            }

            throw;
        }

        var result = Summary(input);
        logger.BatchCompleted(context.InstanceId, result.Succeeded, result.Failed, result.SkippedIds.Count, WireName.Of(input.TargetStage));
        var completed = new PipelineStatus
        {
            Phase = JobPhase.Completed,
            Progress = 100,
            Message = $"{result.Succeeded} of {result.Succeeded + result.Failed} episode(s) reached '{WireName.Of(input.TargetStage)}', {result.Failed} failed"
                + (result.SkippedIds.Count == 0 ? "" : $", {result.SkippedIds.Count} skipped"),
            EtaSeconds = 0,
        };
        Report(context, completed);
        if (input.WebhookUrl is { } hook)
        {
            Report(context, completed with { Message = "Notifying the webhook" });
            var outcome = await NotifySteps.RunAsync(context, WebhookNotification.ForBatch(hook, context.InstanceId, result, error: null));
            Report(context, completed with { Webhook = outcome });
        }

        return result;
    }

    /// <summary>Runs the episodes' jobs, a bounded number at once, reporting progress after every finished one.</summary>
    private async Task ProcessAsync(TaskOrchestrationContext context, NightlyBatchInput input, IReadOnlyList<string> episodeIds)
    {
        var logger = context.CreateReplaySafeLogger<NightlyBatchOrchestrator>();
        var total = episodeIds.Count;
        var started = context.CurrentUtcDateTime;
        var running = new List<Task<EpisodeRun>>();
        var next = 0;
        var done = 0;
        var failed = 0;
        while (done < total)
        {
            while (running.Count < Math.Max(1, input.MaxParallelJobs) && next < total)
            {
                running.Add(RunEpisodeAsync(context, episodeIds[next++], input.TargetStage));
            }

            Report(context, new PipelineStatus
            {
                Phase = JobPhase.Processing,
                Progress = JobPhases.Progress(JobPhase.Processing, done, total),
                Message = $"Episode {done + 1}/{total}" + (failed == 0 ? "" : $" ({failed} failed so far)"),
                EtaSeconds = JobPhases.EtaSeconds(started, context.CurrentUtcDateTime, done, total),
            });

            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            var run = await finished;
            _runs.Add(run);
            done++;
            if (run.Outcome != EpisodeOutcome.Succeeded)
            {
                failed += run.Outcome == EpisodeOutcome.Failed ? 1 : 0;
                logger.BatchEpisodeNotDone(
                    run.Outcome == EpisodeOutcome.Failed ? LogLevel.Warning : LogLevel.Information,
                    context.InstanceId,
                    run.EpisodeId,
                    run.Outcome == EpisodeOutcome.Failed ? "failed" : "skipped",
                    run.Reason ?? "");
            }
        }
    }

    /// <summary>One episode: claim it, run its job as a sub-orchestration. Never throws: a failure is the episode's, not the batch's.</summary>
    private static async Task<EpisodeRun> RunEpisodeAsync(TaskOrchestrationContext context, string episodeId, EpisodeStage target)
    {
        var jobId = context.NewGuid().ToString("D");
        EpisodeClaim claim;
        try
        {
            claim = await context.CallActivityAsync<EpisodeClaim>(nameof(ClaimEpisodeActivity), new ClaimEpisodeInput(episodeId, jobId, context.InstanceId));
        }
        catch (TaskFailedException ex)
        {
            return new EpisodeRun(episodeId, null, EpisodeOutcome.Failed, JobStatusMapper.RootCause(ex.FailureDetails));
        }

        if (claim.ActiveJobId is { } other)
        {
            return new EpisodeRun(episodeId, other, EpisodeOutcome.Skipped, $"Job {other} for the episode was queued or running, so the batch left the episode to it.");
        }

        try
        {
            await context.CallSubOrchestratorAsync<ProcessEpisodeResult>(
                nameof(ProcessEpisodeOrchestrator),
                new ProcessEpisodeInput(episodeId, target, ForceReprocess: false, WebhookUrl: null),
                new SubOrchestrationOptions { InstanceId = jobId });
            return new EpisodeRun(episodeId, jobId, EpisodeOutcome.Succeeded, null);
        }
        catch (TaskFailedException ex)
        {
            return new EpisodeRun(episodeId, jobId, EpisodeOutcome.Failed, JobStatusMapper.RootCause(ex.FailureDetails));
        }
    }

    private BatchResult Summary(NightlyBatchInput input)
    {
        List<string> Ids(EpisodeOutcome outcome) => [.. _runs.Where(r => r.Outcome == outcome).Select(r => r.EpisodeId).Order(StringComparer.Ordinal)];
        return new BatchResult
        {
            SucceededIds = Ids(EpisodeOutcome.Succeeded),
            FailedIds = Ids(EpisodeOutcome.Failed),
            SkippedIds = Ids(EpisodeOutcome.Skipped),
            TargetStage = input.TargetStage,
            JobIds = _runs.Where(r => r.JobId is not null).ToDictionary(r => r.EpisodeId, r => r.JobId!, StringComparer.Ordinal),
            Reasons = _runs.Where(r => r.Reason is not null).ToDictionary(r => r.EpisodeId, r => r.Reason!, StringComparer.Ordinal),
            ScheduledFor = input.ScheduledFor,
        };
    }

    private void Report(TaskOrchestrationContext context, PipelineStatus status)
    {
        _status = status;
        context.SetCustomStatus(status);
    }

    private enum EpisodeOutcome
    {
        Succeeded,
        Failed,
        Skipped,
    }

    /// <param name="JobId">The episode's job: the batch's sub-orchestration, or for a skipped episode the job it already had.</param>
    private sealed record EpisodeRun(string EpisodeId, string? JobId, EpisodeOutcome Outcome, string? Reason);
}
