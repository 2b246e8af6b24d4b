using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// The body POSTed when a job ends: the reference payload <c>{job_id, status, result, error}</c>, plus the
/// <c>type</c> and event <c>timestamp</c> the Standard Webhooks specification recommends and the <c>job_type</c>.
/// It is small (references, never transcripts), so it travels in orchestration history and every attempt sends
/// the same body.
/// </summary>
public sealed record WebhookPayload
{
    public const string CompletedType = "job.completed";
    public const string FailedType = "job.failed";
    public const string BatchCompletedType = "batch.completed";
    public const string BatchFailedType = "batch.failed";

    /// <summary>
    /// <c>job.</c> + the job's status for a ProcessEpisode job (<c>job.completed</c>, <c>job.failed</c>); <c>batch.</c> +
    /// its status for a batch's summary (<c>batch.completed</c>, <c>batch.failed</c>).
    /// </summary>
    [JsonPropertyName("type")] public required string Type { get; init; }

    /// <summary><see cref="JobTypes.ProcessEpisode"/> or <see cref="JobTypes.Batch"/>: which shape <see cref="Result"/> has.</summary>
    [JsonPropertyName("job_type")] public string JobType { get; init; } = JobTypes.ProcessEpisode;

    /// <summary>When the job ended (not when this attempt was made: that is the <c>webhook-timestamp</c> header).</summary>
    [JsonPropertyName("timestamp")] public required DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }

    /// <summary>
    /// A ProcessEpisode job's <see cref="ProcessEpisodeResult"/> (for a failed job, the episode as far as it got), or a
    /// batch's <see cref="BatchResult"/> (for a failed batch, the summary as far as it got). Written by its runtime type;
    /// after a trip through orchestration history it is the same JSON as a <see cref="System.Text.Json.JsonElement"/>.
    /// </summary>
    [JsonPropertyName("result")] public required object Result { get; init; }

    /// <summary>Why the job failed, as the job status says it; absent when it completed.</summary>
    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
