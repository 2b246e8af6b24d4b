using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Services;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Orchestrations;

/// <summary>
/// Takes one episode to its target stage: prepare, extract audio, plan slices, transcribe the
/// slices in parallel (bounded), merge. Progress goes to the custom status after every step and
/// every finished slice. Deterministic: time comes from the orchestration context only.
/// </summary>
public sealed class ProcessEpisodeOrchestrator : TaskOrchestrator<ProcessEpisodeInput, ProcessEpisodeResult>
{
    /// <summary>The highest stage this build can produce; the job API refuses targets beyond it.</summary>
    public const Stage HighestSupportedStage = Stage.Transcribed;

    private const int WorkAttempts = 3;

    // Whisper and FFmpeg fail transiently under memory pressure; a missing model never heals by retrying.
    // It also bounds how often one slice may crash the Whisper worker: each attempt is one delivery.
    private static readonly TaskOptions WorkRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: WorkAttempts,
        firstRetryInterval: TimeSpan.FromSeconds(2))
    {
        HandleFailure = failure => !failure.IsCausedBy<ModelUnavailableException>(),
    });

    public override async Task<ProcessEpisodeResult> RunAsync(TaskOrchestrationContext context, ProcessEpisodeInput input)
    {
        if (input.TargetStage > HighestSupportedStage)
        {
            throw new NotSupportedException($"Stage '{Stages.Name(input.TargetStage)}' is not available in this build.");
        }

        var logger = context.CreateReplaySafeLogger<ProcessEpisodeOrchestrator>();
        Logging.Log.Progress(logger, context.InstanceId, input.EpisodeId, JobStages.Starting, JobStages.StartingProgress);
        var id = input.EpisodeId;
        Report(context, new PipelineStatus { Stage = JobStages.Starting, Progress = JobStages.StartingProgress, Message = "Preparing episode" });

        var prepared = await context.CallActivityAsync<PrepareTranscriptionOutput>(
            nameof(PrepareTranscriptionActivity), new PrepareTranscriptionInput(id, input.ForceReprocess));
        if (prepared.Reused is { } reused)
        {
            Report(context, new PipelineStatus
            {
                Stage = JobStages.Completed,
                Progress = 100,
                Message = "Reused the transcript made earlier from the same media and settings",
                EtaSeconds = 0,
                Reused = true,
            });
            return reused;
        }

        Report(context, new PipelineStatus { Stage = JobStages.Transcribing, Progress = JobStages.TranscribingFrom, Message = "Extracting audio" });
        var audio = await context.CallActivityAsync<ExtractAudioOutput>(nameof(ExtractAudioActivity), new ExtractAudioInput(id), WorkRetry);
        var plan = await context.CallActivityAsync<SegmentPlan>(nameof(PlanSegmentsActivity), new PlanSegmentsInput(audio.DurationSeconds));

        var total = plan.Slices.Count;
        var started = context.CurrentUtcDateTime;
        var done = new List<TranscribeSegmentOutput>(total);
        var running = new Dictionary<Task<TranscribeSegmentOutput>, AudioSlice>();
        var next = 0;
        while (done.Count < total)
        {
            while (running.Count < plan.Parallelism && next < total)
            {
                var slice = plan.Slices[next++];
                running.Add(
                    context.CallActivityAsync<TranscribeSegmentOutput>(
                        nameof(TranscribeSegmentActivity), new TranscribeSegmentInput(id, audio.Audio, slice), WorkRetry),
                    slice);
            }

            Report(context, new PipelineStatus
            {
                Stage = JobStages.Transcribing,
                Progress = JobStages.InBand(JobStages.TranscribingFrom, JobStages.TranscribingTo, done.Count, total),
                Message = $"Transcribing segment {Math.Min(done.Count + 1, total)}/{total}",
                EtaSeconds = JobStages.EtaSeconds(started, context.CurrentUtcDateTime, done.Count, total),
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
            Stage = JobStages.Transcribing,
            Progress = JobStages.TranscribingTo,
            Message = $"Merging {total} transcribed segments",
            EtaSeconds = 0,
            SegmentsTotal = total,
            SegmentsDone = total,
        });
        var result = await context.CallActivityAsync<ProcessEpisodeResult>(
            nameof(MergeTranscriptActivity),
            new MergeTranscriptInput(id, prepared.Fingerprint, audio.Audio, audio.DurationSeconds, plan.Slices, done));

        Report(context, new PipelineStatus
        {
            Stage = JobStages.Completed,
            Progress = 100,
            Message = $"Transcribed {result.Segments} segments",
            EtaSeconds = 0,
            SegmentsTotal = total,
            SegmentsDone = total,
        });
        Logging.Log.Progress(logger, context.InstanceId, id, JobStages.Completed, 100);
        return result;
    }

    private static void Report(TaskOrchestrationContext context, PipelineStatus status) => context.SetCustomStatus(status);
}
