using System.Text.Json;
using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>A job as the reference contract shows it, plus episode, times and error.</summary>
public sealed record JobResponse
{
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    /// <summary>What kind of job (<see cref="JobTypes"/>): <c>process_episode</c> or <c>batch</c>.</summary>
    [JsonPropertyName("job_type")] public string JobType { get; init; } = JobTypes.ProcessEpisode;
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    [JsonPropertyName("progress")] public double Progress { get; init; }
    [JsonPropertyName("current_stage")] public required JobPhase CurrentStage { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("eta_seconds")] public int? EtaSeconds { get; init; }
    /// <summary>
    /// A completed job's output: episode, stage, media duration, artifacts (paths relative to the data folder), warnings,
    /// page links when rendered, and from <c>GET /async/jobs/{id}</c> the transcript itself. Null until the job completes.
    /// </summary>
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
    /// <summary>The episode a <c>process_episode</c> job works on; null for a batch.</summary>
    [JsonPropertyName("episode_id")] public string? EpisodeId { get; init; }
    [JsonPropertyName("target_stage")] public EpisodePipeline.Models.EpisodeStage? TargetStage { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset UpdatedAt { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>The failed or cancelled job this one retries; null when it is no retry.</summary>
    [JsonPropertyName("retry_of")] public string? RetryOf { get; init; }

    /// <summary>The webhook's delivery (<c>delivered</c>, <c>attempts</c>, <c>last_status</c>, <c>last_error</c>); it never changes the job's own status.</summary>
    [JsonPropertyName("webhook")] public WebhookOutcome? Webhook { get; init; }
}
