using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Orchestrations;

/// <summary>
/// Takes one episode to its target stage: Transcribe (prepare, extract audio, plan slices, transcribe the
/// slices in parallel (bounded), merge), then Enrich (<see cref="EnrichSteps"/>) and Render
/// (<see cref="RenderSteps"/>), and finally, when the job has a <c>webhook_url</c>, NotifyWebhook
/// (<see cref="NotifySteps"/>) whether the job completed or failed. A stage whose artifact is up to date is
/// reused. Progress goes to the custom status after every step and every finished slice or part.
/// Deterministic: time comes from the orchestration context only.
/// </summary>
public sealed class ProcessEpisodeOrchestrator : TaskOrchestrator<ProcessEpisodeInput, ProcessEpisodeResult>
{
    /// <summary>The highest stage this build can produce; the job API refuses targets beyond it.</summary>
    public const EpisodeStage HighestSupportedStage = EpisodeStage.Rendered;

    private const int WorkAttempts = 3;

    // Whisper and FFmpeg fail transiently under memory pressure; a missing model, unreadable or changed media never heal by retrying.
    // It also bounds how often one slice may crash the Whisper worker: each attempt is one delivery.
    private static readonly TaskOptions WorkRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: WorkAttempts,
        firstRetryInterval: TimeSpan.FromSeconds(2))
    {
        HandleFailure = failure => !IsPermanent(failure),
    });

    /// <summary>True for failures that say what a person must fix; retrying them only delays the answer.</summary>
    internal static bool IsPermanent(TaskFailureDetails failure) =>
        failure.IsCausedBy<ModelUnavailableException>()
        || failure.IsCausedBy<MediaUnreadableException>()
        || failure.IsCausedBy<MediaChangedException>()
        || failure.IsCausedBy<ArgumentException>()
        || failure.IsCausedBy<NotSupportedException>();

    // The last status reported, so the webhook outcome can be added to it; rebuilt on every replay.
    private PipelineStatus _status = new() { Phase = JobPhase.Queued, Message = "Waiting for a worker" };

    public override async Task<ProcessEpisodeResult> RunAsync(TaskOrchestrationContext context, ProcessEpisodeInput input)
    {
        var logger = context.CreateReplaySafeLogger<ProcessEpisodeOrchestrator>();
        var step = "preparing";
        ProcessEpisodeResult result;
        try
        {
            result = await RunStagesAsync(context, input, s => step = s);
        }
        catch (Exception ex)
        {
            // The job's status carries the cause too, but without this line the host log would not show the failure at all.
            var failure = ex is TaskFailedException failed ? failed.FailureDetails : null;
            var permanent = failure is null ? ex is NotSupportedException : IsPermanent(Innermost(failure));
            var cause = failure is null ? ex.Message : JobStatusMapper.RootCause(failure);
            logger.JobFailed(permanent ? LogLevel.Warning : LogLevel.Error, context.InstanceId, input.EpisodeId, step, cause);
            if (input.WebhookUrl is { } failedHook)
            {
                // The job shows running until the webhook's attempts are over; its message says it failed meanwhile.
                Report(context, _status with { Message = $"Failed while {step}: {cause.TrimEnd('.')}. Notifying the webhook", EtaSeconds = null });
                var outcome = await NotifySteps.RunAsync(context, WebhookNotification.Failed(failedHook, context.InstanceId, input.EpisodeId, cause));
                Report(context, _status with { Webhook = outcome });
            }

            throw;
        }

        if (input.WebhookUrl is { } hook)
        {
            var completed = _status;
            Report(context, completed with { Message = "Notifying the webhook" });
            var outcome = await NotifySteps.RunAsync(context, WebhookNotification.Completed(hook, context.InstanceId, result));
            Report(context, completed with { Webhook = outcome });
        }

        return result;
    }

    /// <summary>Transcribe, then Enrich and Render as far as the target stage asks.</summary>
    private async Task<ProcessEpisodeResult> RunStagesAsync(TaskOrchestrationContext context, ProcessEpisodeInput input, Action<string> step)
    {
        var started = context.CurrentUtcDateTime;
        var stageSeconds = new Dictionary<string, double>();
        var stageStarted = started;
        void StageDone(string stage)
        {
            stageSeconds[stage] = Seconds(stageStarted, context.CurrentUtcDateTime);
            stageStarted = context.CurrentUtcDateTime;
        }

        var result = await TranscribeAsync(context, input, step);
        StageDone(StageTimes.Transcribe);
        var reused = result.Reused;
        var done = $"Transcribed {Segments(result.Segments)}";
        if (input.TargetStage >= EpisodeStage.Enriched)
        {
            step("enriching");
            var enriched = await EnrichSteps.RunAsync(context, input.EpisodeId, input.ForceReprocess, s => Report(context, s));
            reused &= enriched.Reused;
            result = result with
            {
                Stage = EpisodeStage.Enriched,
                Artifacts = new Dictionary<string, string>(result.Artifacts.Concat(enriched.Artifacts)),
            };
            done = $"{done}, {enriched.Chapters} chapters";
            StageDone(StageTimes.Enrich);
        }

        if (input.TargetStage >= EpisodeStage.Rendered)
        {
            step("rendering");
            var rendered = await RenderSteps.RunAsync(context, input.EpisodeId, s => Report(context, s));
            result = result with
            {
                Stage = EpisodeStage.Rendered,
                PageUrl = rendered.PageUrl,
                PublicUrl = rendered.PublicUrl,
                Files = rendered.Files,
                Urls = rendered.Urls,
            };
            done = $"{done}, page rendered";
            StageDone(StageTimes.Render);
        }

        result = result with { Reused = reused, JobSeconds = Seconds(started, context.CurrentUtcDateTime), StageSeconds = stageSeconds };
        Report(context, new PipelineStatus
        {
            Phase = JobPhase.Completed,
            Progress = 100,
            Message = (reused ? "Reused what was made earlier from the same media and settings" : done)
                + (result.Warnings.Count == 0 ? "" : $"; warnings: {string.Join("; ", result.Warnings)}"),
            EtaSeconds = 0,
            SegmentsTotal = _status.SegmentsTotal,
            SegmentsDone = _status.SegmentsDone,
            Reused = reused,
        });
        context.CreateReplaySafeLogger<ProcessEpisodeOrchestrator>().Progress(context.InstanceId, input.EpisodeId, JobPhase.Completed, 100);
        return result;
    }

    private static double Seconds(DateTime from, DateTime to) => Math.Round((to - from).TotalSeconds, 3);

    private static TaskFailureDetails Innermost(TaskFailureDetails failure)
    {
        while (failure.InnerFailure is { } inner)
        {
            failure = inner;
        }

        return failure;
    }

    /// <summary>The Transcribe stage: the transcript made now, or the one made earlier from the same media and settings.</summary>
    private async Task<ProcessEpisodeResult> TranscribeAsync(TaskOrchestrationContext context, ProcessEpisodeInput input, Action<string> step)
    {
        var logger = context.CreateReplaySafeLogger<ProcessEpisodeOrchestrator>();
        if (input.TargetStage > HighestSupportedStage)
        {
            throw new NotSupportedException($"Stage '{WireName.Of(input.TargetStage)}' is not available in this build.");
        }

        logger.Progress(context.InstanceId, input.EpisodeId, JobPhase.Starting, JobPhases.Band(JobPhase.Starting).From);
        var id = input.EpisodeId;
        Report(context, new PipelineStatus { Phase = JobPhase.Starting, Progress = JobPhases.Band(JobPhase.Starting).From, Message = "Preparing episode" });

        var prepared = await context.CallActivityAsync<PrepareTranscriptionOutput>(
            nameof(PrepareTranscriptionActivity), new PrepareTranscriptionInput(id, input.ForceReprocess, input.AudioTrack));
        if (prepared.Reused is { } reused)
        {
            Report(context, new PipelineStatus
            {
                Phase = JobPhase.Transcribing,
                Progress = JobPhases.Band(JobPhase.Transcribing).To,
                Message = "Reused the transcript made earlier from the same media and settings",
                EtaSeconds = 0,
                Reused = true,
            });
            return reused;
        }

        Report(context, new PipelineStatus { Phase = JobPhase.Transcribing, Progress = JobPhases.Band(JobPhase.Transcribing).From, Message = "Extracting audio" });
        step($"extracting audio track {prepared.AudioTrack}");
        var audio = await context.CallActivityAsync<ExtractAudioOutput>(nameof(ExtractAudioActivity), new ExtractAudioInput(id, prepared.AudioTrack), WorkRetry);
        step("planning segments");
        var plan = await context.CallActivityAsync<SegmentPlan>(nameof(PlanSegmentsActivity), new PlanSegmentsInput(audio.DurationSeconds));

        var total = plan.Slices.Count;
        var started = context.CurrentUtcDateTime;
        var done = new List<TranscribeSegmentOutput>(total);
        var running = new Dictionary<Task<TranscribeSegmentOutput>, AudioSlice>();
        var next = 0;
        step($"transcribing {Segments(total)}");
        while (done.Count < total)
        {
            while (running.Count < plan.Parallelism && next < total)
            {
                var slice = plan.Slices[next++];
                running.Add(
                    context.CallActivityAsync<TranscribeSegmentOutput>(
                        nameof(TranscribeSegmentActivity), new TranscribeSegmentInput(id, audio.Audio, slice, input.ForceReprocess ? null : prepared.Fingerprint), WorkRetry),
                    slice);
            }

            Report(context, new PipelineStatus
            {
                Phase = JobPhase.Transcribing,
                Progress = JobPhases.Progress(JobPhase.Transcribing, done.Count, total),
                Message = $"Transcribing segment {Math.Min(done.Count + 1, total)}/{total}",
                EtaSeconds = JobPhases.EtaSeconds(started, context.CurrentUtcDateTime, done.Count, total),
                SegmentsTotal = total,
                SegmentsDone = done.Count,
            });

            var finished = await Task.WhenAny(running.Keys);
            running.Remove(finished, out var finishedSlice);
            try
            {
                done.Add(await finished);
            }
            catch (TaskFailedException failed) when (failed.FailureDetails.IsCausedBy<TranscriptionWorkerCrashedException>())
            {
                // No inner exception: the job's error is this sentence, not the last attempt's alone.
                throw new TranscriptionWorkerCrashedException(
                    $"The Whisper worker crashed on segment {finishedSlice!.Index + 1}/{total} ({finishedSlice.Start:F1}–{finishedSlice.End:F1} s) " +
                    $"{WorkAttempts} times, so the job gives up on it. Last crash: {failed.FailureDetails.ErrorMessage}");
            }
        }

        Report(context, new PipelineStatus
        {
            Phase = JobPhase.Transcribing,
            Progress = JobPhases.Band(JobPhase.Transcribing).To,
            Message = total == 1 ? "Merging 1 transcribed segment" : $"Merging {total} transcribed segments",
            EtaSeconds = 0,
            SegmentsTotal = total,
            SegmentsDone = total,
        });
        step("merging the transcript");
        var result = await context.CallActivityAsync<ProcessEpisodeResult>(
            nameof(MergeTranscriptActivity),
            new MergeTranscriptInput(id, prepared.Fingerprint, audio.Audio, audio.DurationSeconds, plan.Slices, done, audio.AudioTrack, audio.DeclaredSeconds, audio.Warnings));

        return result;
    }

    private void Report(TaskOrchestrationContext context, PipelineStatus status)
    {
        _status = status;
        context.SetCustomStatus(status);
    }

    /// <summary>"1 segment", "3 segments".</summary>
    private static string Segments(int count) => count == 1 ? "1 segment" : $"{count} segments";
}
