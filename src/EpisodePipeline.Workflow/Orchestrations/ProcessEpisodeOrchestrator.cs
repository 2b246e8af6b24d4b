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
/// Takes one episode to its target stage: prepare, extract audio, plan slices, transcribe the
/// slices in parallel (bounded), merge. Progress goes to the custom status after every step and
/// every finished slice. Deterministic: time comes from the orchestration context only.
/// </summary>
public sealed class ProcessEpisodeOrchestrator : TaskOrchestrator<ProcessEpisodeInput, ProcessEpisodeResult>
{
    /// <summary>The highest stage this build can produce; the job API refuses targets beyond it.</summary>
    public const EpisodeStage HighestSupportedStage = EpisodeStage.Transcribed;

    // Whisper and FFmpeg fail transiently under memory pressure; a missing model never heals by retrying.
    private static readonly TaskOptions WorkRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(2))
    {
        HandleFailure = failure => !failure.IsCausedBy<ModelUnavailableException>(),
    });

    public override async Task<ProcessEpisodeResult> RunAsync(TaskOrchestrationContext context, ProcessEpisodeInput input)
    {
        if (input.TargetStage > HighestSupportedStage)
        {
            throw new NotSupportedException($"Stage '{WireName.Of(input.TargetStage)}' is not available in this build.");
        }

        var logger = context.CreateReplaySafeLogger<ProcessEpisodeOrchestrator>();
        logger.Progress(context.InstanceId, input.EpisodeId, JobPhase.Starting, JobPhases.Band(JobPhase.Starting).From);
        var id = input.EpisodeId;
        Report(context, new PipelineStatus { Phase = JobPhase.Starting, Progress = JobPhases.Band(JobPhase.Starting).From, Message = "Preparing episode" });

        var prepared = await context.CallActivityAsync<PrepareTranscriptionOutput>(
            nameof(PrepareTranscriptionActivity), new PrepareTranscriptionInput(id, input.ForceReprocess));
        if (prepared.Reused is { } reused)
        {
            Report(context, new PipelineStatus
            {
                Phase = JobPhase.Completed,
                Progress = 100,
                Message = "Reused the transcript made earlier from the same media and settings",
                EtaSeconds = 0,
                Reused = true,
            });
            return reused;
        }

        Report(context, new PipelineStatus { Phase = JobPhase.Transcribing, Progress = JobPhases.Band(JobPhase.Transcribing).From, Message = "Extracting audio" });
        var audio = await context.CallActivityAsync<ExtractAudioOutput>(nameof(ExtractAudioActivity), new ExtractAudioInput(id), WorkRetry);
        var plan = await context.CallActivityAsync<SegmentPlan>(nameof(PlanSegmentsActivity), new PlanSegmentsInput(audio.DurationSeconds));

        var total = plan.Slices.Count;
        var started = context.CurrentUtcDateTime;
        var done = new List<TranscribeSegmentOutput>(total);
        var running = new List<Task<TranscribeSegmentOutput>>();
        var next = 0;
        while (done.Count < total)
        {
            while (running.Count < plan.Parallelism && next < total)
            {
                var slice = plan.Slices[next++];
                running.Add(context.CallActivityAsync<TranscribeSegmentOutput>(
                    nameof(TranscribeSegmentActivity), new TranscribeSegmentInput(id, audio.Audio, slice), WorkRetry));
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

            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            done.Add(await finished);
        }

        Report(context, new PipelineStatus
        {
            Phase = JobPhase.Transcribing,
            Progress = JobPhases.Band(JobPhase.Transcribing).To,
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
            Phase = JobPhase.Completed,
            Progress = 100,
            Message = $"Transcribed {result.Segments} segments",
            EtaSeconds = 0,
            SegmentsTotal = total,
            SegmentsDone = total,
        });
        logger.Progress(context.InstanceId, id, JobPhase.Completed, 100);
        return result;
    }

    private static void Report(TaskOrchestrationContext context, PipelineStatus status) => context.SetCustomStatus(status);
}
