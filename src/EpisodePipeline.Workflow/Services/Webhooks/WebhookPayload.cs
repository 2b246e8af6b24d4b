using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// The body POSTed when a job ends: the reference payload <c>{job_id, status, result, error}</c>, plus the
/// <c>type</c> and event <c>timestamp</c> the Standard Webhooks specification recommends. It is small
/// (references, never transcripts), so it travels in orchestration history and every attempt sends the same body.
/// </summary>
public sealed record WebhookPayload
{
    public const string CompletedType = "job.completed";
    public const string FailedType = "job.failed";

    /// <summary><c>job.</c> + the job's status: <c>job.completed</c> or <c>job.failed</c>.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }

    /// <summary>When the job ended (not when this attempt was made: that is the <c>webhook-timestamp</c> header).</summary>
    [JsonPropertyName("timestamp")] public required DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }

    /// <summary>The job's result; for a failed job, the episode as far as it got.</summary>
    [JsonPropertyName("result")] public required ProcessEpisodeResult Result { get; init; }

    /// <summary>Why the job failed, as the job status says it; absent when it completed.</summary>
    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
