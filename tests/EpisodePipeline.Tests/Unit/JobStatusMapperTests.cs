using System.Text.Json;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class JobStatusMapperTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 28, 14, 30, 0, TimeSpan.Zero);
    private static readonly string Input = JsonSerializer.Serialize(new ProcessEpisodeInput("ep-1", EpisodeStage.Transcribed, false, null));

    private static OrchestrationMetadata Metadata(OrchestrationRuntimeStatus status, PipelineStatus? custom = null, string? output = null, TaskFailureDetails? failure = null) =>
        new(nameof(ProcessEpisodeOrchestrator), "f47ac10b-58cc-4372-a567-0e02b2c3d479")
        {
            RuntimeStatus = status,
            CreatedAt = Created,
            LastUpdatedAt = Created.AddSeconds(90),
            SerializedInput = Input,
            SerializedCustomStatus = custom is null ? null : JsonSerializer.Serialize(custom),
            SerializedOutput = output,
            FailureDetails = failure,
        };

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Pending, JobStatus.Queued)]
    [InlineData(OrchestrationRuntimeStatus.Suspended, JobStatus.Queued)]
    [InlineData(OrchestrationRuntimeStatus.Running, JobStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Completed, JobStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Failed, JobStatus.Failed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated, JobStatus.Cancelled)]
    public void StatusOf_MapsEveryRuntimeStatus(OrchestrationRuntimeStatus runtime, JobStatus expected)
    {
        Assert.Equal(expected, JobStatusMapper.StatusOf(runtime));
        Assert.Equal(expected, JobStatusMapper.Map(Metadata(runtime)).Status);
    }

    [Fact]
    public void Map_Pending_IsQueuedAtZeroWithTheEpisodeAndTimes()
    {
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Pending));

        Assert.Equal((JobStatus.Queued, 0.0, JobPhase.Queued), (job.Status, job.Progress, job.CurrentStage));
        Assert.Equal("process_episode", job.JobType);
        Assert.Equal("ep-1", job.EpisodeId);
        Assert.Equal(EpisodeStage.Transcribed, job.TargetStage);
        Assert.Equal(Created, job.CreatedAt);
        Assert.Equal(Created.AddSeconds(90), job.UpdatedAt);
        Assert.Null(job.Result);
    }

    [Fact]
    public void Map_Running_TakesStageProgressMessageAndEtaFromTheCustomStatus()
    {
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Running, new PipelineStatus
        {
            Phase = JobPhase.Transcribing,
            Progress = 25,
            Message = "Transcribing segment 3/7",
            EtaSeconds = 180,
        }));

        Assert.Equal((JobStatus.Running, 25.0, JobPhase.Transcribing, "Transcribing segment 3/7", (int?)180), (job.Status, job.Progress, job.CurrentStage, job.Message, job.EtaSeconds));
    }

    [Fact]
    public void Map_RunningBeforeTheFirstStatus_IsStarting()
    {
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Running));

        Assert.Equal((JobPhase.Starting, JobPhases.Band(JobPhase.Starting).From), (job.CurrentStage, job.Progress));
    }

    [Fact]
    public void Map_Completed_Is100WithTheOutputAsResult()
    {
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Completed, output: """{"episode_id":"ep-1","stage":"transcribed","duration":347.2}"""));

        Assert.Equal((100.0, JobPhase.Completed, (int?)0), (job.Progress, job.CurrentStage, job.EtaSeconds));
        Assert.Equal(347.2, job.Result!.Value.GetProperty("duration").GetDouble());
    }

    [Fact]
    public void Map_Failed_ReportsTheInnermostCauseAndWhereItStopped()
    {
        var failure = new TaskFailureDetails("TaskFailedException", "Task 'PrepareTranscriptionActivity' (#0) failed", null,
            new TaskFailureDetails("ModelUnavailableException", "Whisper model not found at '/m.bin'", null, null, null), null);
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Failed,
            new PipelineStatus { Phase = JobPhase.Transcribing, Progress = 10, Message = "Extracting audio" }, failure: failure));

        Assert.Equal("Whisper model not found at '/m.bin'", job.Error);
        Assert.Equal((JobPhase.Transcribing, 10.0), (job.CurrentStage, job.Progress));
        Assert.Contains("Whisper model not found", job.Message);
    }

    [Fact]
    public void Map_FailedWithOnlyAnOutputMessage_StripsTheTaskWrapper()
    {
        var output = JsonSerializer.Serialize("Task 'PrepareTranscriptionActivity' (#0) failed with an unhandled exception: Whisper model not found at '/m.bin'");
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Failed, output: output));

        Assert.Equal("Whisper model not found at '/m.bin'", job.Error);
    }

    [Fact]
    public void Map_Terminated_IsCancelledWithTheReason()
    {
        var job = JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Terminated, output: JsonSerializer.Serialize("stopped by operator")));

        Assert.Equal((JobStatus.Cancelled, "stopped by operator"), (job.Status, job.Error));
    }

    [Fact]
    public void IsActive_OnlyForQueuedAndRunning()
    {
        Assert.True(JobStatusMapper.IsActive(OrchestrationRuntimeStatus.Pending));
        Assert.True(JobStatusMapper.IsActive(OrchestrationRuntimeStatus.Running));
        Assert.False(JobStatusMapper.IsActive(OrchestrationRuntimeStatus.Completed));
        Assert.False(JobStatusMapper.IsActive(OrchestrationRuntimeStatus.Failed));
        Assert.False(JobStatusMapper.IsActive(OrchestrationRuntimeStatus.Terminated));
    }

    [Fact]
    public void Map_SerializesToTheReferenceFieldNames()
    {
        var json = JsonSerializer.SerializeToElement(JobStatusMapper.Map(Metadata(OrchestrationRuntimeStatus.Pending)));

        foreach (var field in new[] { "job_id", "job_type", "status", "progress", "current_stage", "message", "eta_seconds", "result", "episode_id", "created_at", "updated_at", "error" })
        {
            Assert.True(json.TryGetProperty(field, out _), $"missing {field}");
        }
    }
}
