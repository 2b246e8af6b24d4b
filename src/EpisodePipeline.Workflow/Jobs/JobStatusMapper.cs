using System.Text.Json;
using EpisodePipeline.Models;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EpisodePipeline.Jobs;

/// <summary>Reshapes Durable's view of an orchestration into the job contract.</summary>
public static partial class JobStatusMapper
{
    // "Task 'PrepareTranscriptionActivity' (#0) failed with an unhandled exception: " says nothing a person can act on.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(Task '[^']+' \(#\d+\) failed with an unhandled exception: )+")]
    private static partial System.Text.RegularExpressions.Regex ActivityFailurePrefix();

    /// <summary>The contract's status word for a runtime status.</summary>
    public static JobStatus StatusOf(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Pending => JobStatus.Queued,
        OrchestrationRuntimeStatus.Suspended => JobStatus.Queued,
        OrchestrationRuntimeStatus.Running => JobStatus.Running,
#pragma warning disable CS0618 // ContinuedAsNew is obsolete but still reported by older backends.
        OrchestrationRuntimeStatus.ContinuedAsNew => JobStatus.Running,
#pragma warning restore CS0618
        OrchestrationRuntimeStatus.Completed => JobStatus.Completed,
        OrchestrationRuntimeStatus.Failed => JobStatus.Failed,
        OrchestrationRuntimeStatus.Terminated => JobStatus.Cancelled,
        _ => JobStatus.Failed,
    };

    /// <summary>True while the job may still make progress, so a second submit should join it.</summary>
    public static bool IsActive(OrchestrationRuntimeStatus status) => StatusOf(status) is JobStatus.Queued or JobStatus.Running;

    /// <summary>The episode a job works on, from its input; null for a job without one episode or an input that is not there.</summary>
    public static string? EpisodeIdOf(OrchestrationMetadata metadata) =>
        JobTypes.Of(metadata.Name) == JobTypes.ProcessEpisode ? Deserialize<ProcessEpisodeInput>(metadata.SerializedInput)?.EpisodeId : null;

    /// <summary>
    /// A job of either type (<see cref="JobTypes"/>). Both report <see cref="PipelineStatus"/> as their custom status;
    /// a batch has no episode (<c>episode_id</c> null) and its result is a <see cref="BatchResult"/>.
    /// </summary>
    public static JobResponse Map(OrchestrationMetadata metadata)
    {
        var custom = Deserialize<PipelineStatus>(metadata.SerializedCustomStatus);
        var jobType = JobTypes.Of(metadata.Name) ?? JobTypes.ProcessEpisode;
        var input = jobType == JobTypes.Batch ? null : Deserialize<ProcessEpisodeInput>(metadata.SerializedInput);
        var batch = jobType == JobTypes.Batch ? Deserialize<NightlyBatchInput>(metadata.SerializedInput) : null;
        var status = StatusOf(metadata.RuntimeStatus);
        var job = new JobResponse
        {
            JobId = metadata.InstanceId,
            JobType = jobType,
            Status = status,
            CurrentStage = JobPhase.Queued,
            Message = "Waiting for a worker",
            EpisodeId = input?.EpisodeId,
            TargetStage = input?.TargetStage ?? batch?.TargetStage,
            CreatedAt = metadata.CreatedAt,
            UpdatedAt = metadata.LastUpdatedAt,
            Webhook = custom?.Webhook,
            RetryOf = input?.RetryOf,
        };

        return metadata.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Pending => job,
            OrchestrationRuntimeStatus.Suspended => job with
            {
                Progress = custom?.Progress ?? 0,
                CurrentStage = custom?.Phase ?? JobPhase.Queued,
                Message = "Suspended; resume the orchestration to continue",
            },
            OrchestrationRuntimeStatus.Completed => job with
            {
                Progress = 100,
                CurrentStage = JobPhase.Completed,
                Message = custom?.Message ?? "Completed",
                EtaSeconds = 0,
                Result = ParseJson(metadata.SerializedOutput),
            },
            OrchestrationRuntimeStatus.Failed => job with
            {
                Progress = custom?.Progress ?? 0,
                CurrentStage = custom?.Phase ?? JobPhase.Starting,
                Message = $"Failed while {WireName.Of(custom?.Phase ?? JobPhase.Starting)}: {RootCause(metadata.FailureDetails, metadata.SerializedOutput)}",
                Error = RootCause(metadata.FailureDetails, metadata.SerializedOutput),
            },
            OrchestrationRuntimeStatus.Terminated => job with
            {
                Progress = custom?.Progress ?? 0,
                CurrentStage = custom?.Phase ?? JobPhase.Queued,
                Message = "Cancelled",
                Error = Deserialize<string>(metadata.SerializedOutput),
            },
            _ => job with
            {
                Progress = custom?.Progress ?? JobPhases.Band(JobPhase.Starting).From,
                CurrentStage = custom?.Phase ?? JobPhase.Starting,
                Message = custom?.Message ?? "Starting",
                EtaSeconds = custom?.EtaSeconds,
            },
        };
    }

    /// <summary>The innermost failure is the one a person can act on ("model not found at ...").</summary>
    public static string RootCause(TaskFailureDetails? failure, string? serializedOutput = null)
    {
        if (failure is null)
        {
            // Some backends report the failure only as the orchestration's output.
            var message = string.IsNullOrEmpty(serializedOutput) ? "The job failed without details." : Deserialize<string>(serializedOutput) ?? serializedOutput;
            return ActivityFailurePrefix().Replace(message, "");
        }

        while (failure.InnerFailure is { } inner)
        {
            failure = inner;
        }

        return failure.ErrorMessage;
    }

    private static T? Deserialize<T>(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static JsonElement? ParseJson(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonDocument.Parse(json).RootElement.Clone();
}
