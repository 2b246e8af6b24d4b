using System.Text.Json;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;

namespace EpisodePipeline.Host.Api.OpenApi;

/// <summary>
/// Examples of the contract's bodies, made from the contract's own types (so they cannot name a field the contract
/// does not have), as the walk-through in the README shows them. The document shows them by body type.
/// </summary>
internal static class ContractExamples
{
    public sealed record Example(string Name, string Summary, object Value);

    private const string EpisodeId = "newsroom-2024-bb_test";
    private const string JobId = "0b9f6c7e-3d2a-4f7e-9a51-2c8e4d6b1a90";
    private static readonly string StatusUrl = ApiRoutes.JobPath(JobId);
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 14, 1, 58, 120, TimeSpan.Zero);

    private static readonly Dictionary<Type, Example[]> ByType = new()
    {
        [typeof(ProcessRequest)] =
        [
            new("transcript", "To the transcript only", new ProcessRequest { EpisodeId = EpisodeId, TargetStage = WireName.Of(EpisodeStage.Transcribed), ForceReprocess = false }),
            new("published", "All the way to the published page, announced by a webhook", new ProcessRequest { TargetStage = WireName.Of(EpisodeStage.Rendered), WebhookUrl = "http://127.0.0.1:5678/webhook/episodes" }),
            new("second-track", "Transcribe the second audio track again", new ProcessRequest { TargetStage = WireName.Of(EpisodeStage.Transcribed), AudioTrack = 1, ForceReprocess = true }),
        ],
        [typeof(SubmitResponse)] =
        [
            new("queued", "A new job", new SubmitResponse(JobId, JobStatus.Queued, $"Episode processing queued. Poll {StatusUrl} for status.", StatusUrl, EpisodeId, false)),
            new("joined", "The episode's job already running", new SubmitResponse(JobId, JobStatus.Queued, $"Episode '{EpisodeId}' already has job {JobId} queued or running; poll {StatusUrl} for its status.", StatusUrl, EpisodeId, true)),
        ],
        [typeof(JobResponse)] = [Running, Completed, Failed],
        [typeof(List<JobResponse>)] = [new("jobs", "The newest job", new List<JobResponse> { (JobResponse)Running.Value })],
        [typeof(StatsResponse)] = [new("stats", "One job running, one done", new StatsResponse(0, 1, 1, 0, 0, 2, 16, 3))],
        [typeof(HealthResponse)] = [new("healthy", "The standalone host in memory", new HealthResponse("healthy", "standalone", "in-memory"))],
    };

    /// <summary>The examples of bodies of <paramref name="type"/>; none for a type without any.</summary>
    public static IReadOnlyList<Example> For(Type type) => ByType.GetValueOrDefault(type) ?? [];

    private static Example Running => new("running", "Transcribing, with progress and ETA", Job(JobStatus.Running, JobPhase.Transcribing, 20, "Transcribing segment 2/3") with
    {
        EtaSeconds = 12,
        UpdatedAt = Created.AddSeconds(5),
    });

    private static Example Completed => new("completed", "Done: the result with the transcript", Job(JobStatus.Completed, JobPhase.Completed, 100, "Completed") with
    {
        UpdatedAt = Created.AddSeconds(14),
        Result = CompletedResult(),
    });

    /// <summary>What <c>GET /async/jobs/{id}</c> answers for a job to <c>transcribed</c>: the result plus the transcript itself.</summary>
    private static JsonElement CompletedResult()
    {
        var result = JsonSerializer.SerializeToNode(new ProcessEpisodeResult
        {
            EpisodeId = EpisodeId,
            Stage = EpisodeStage.Transcribed,
            Duration = 4.23,
            Segments = 2,
            JobSeconds = 13.9,
            Artifacts = new Dictionary<string, string>
            {
                [ArtifactKinds.Audio] = $"episodes/{EpisodeId}/audio.wav",
                [ArtifactKinds.Transcript] = $"episodes/{EpisodeId}/transcript.json",
                [ArtifactKinds.TranscriptText] = $"episodes/{EpisodeId}/transcript.txt",
            },
        })!.AsObject();
        result["transcript"] = JsonSerializer.SerializeToNode(new
        {
            language = "en",
            segments = new[] { new TranscriptSegment(0.0, 2.4, "Welcome to the newsroom."), new TranscriptSegment(2.4, 4.2, "Today we talk about local first software.") },
        });
        return JsonSerializer.SerializeToElement(result);
    }

    private static Example Failed => new("failed", "Failed: the cause a person can act on", Job(JobStatus.Failed, JobPhase.Transcribing, 10, "Failed while transcribing: 'bb_test.mp4' could not be read as media; the file may be damaged, incomplete or not media at all. FFmpeg: moov atom not found") with
    {
        UpdatedAt = Created.AddSeconds(2),
        Error = "'bb_test.mp4' could not be read as media; the file may be damaged, incomplete or not media at all. FFmpeg: moov atom not found",
    });

    private static JobResponse Job(JobStatus status, JobPhase phase, double progress, string message) => new()
    {
        JobId = JobId,
        Status = status,
        CurrentStage = phase,
        Progress = progress,
        Message = message,
        EpisodeId = EpisodeId,
        TargetStage = EpisodeStage.Transcribed,
        CreatedAt = Created,
        UpdatedAt = Created,
    };
}
