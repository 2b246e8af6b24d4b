using System.Text.Json;
using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Body of <c>POST /async/episodes/{id}/process</c>; every field is optional.</summary>
public sealed record ProcessRequest
{
    [JsonPropertyName("episode_id")] public string? EpisodeId { get; init; }
    [JsonPropertyName("target_stage")] public string? TargetStage { get; init; }
    [JsonPropertyName("force_reprocess")] public bool? ForceReprocess { get; init; }
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }
}

/// <summary>Answer to a submit: the job to poll.</summary>
public sealed record SubmitResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status_url")] string StatusUrl,
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("existing")] bool Existing);

/// <summary>A job as the reference contract shows it, plus episode, times and error.</summary>
public sealed record JobResponse
{
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("job_type")] public string JobType { get; init; } = "process_episode";
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("progress")] public double Progress { get; init; }
    [JsonPropertyName("current_stage")] public required string CurrentStage { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("eta_seconds")] public int? EtaSeconds { get; init; }
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
    [JsonPropertyName("episode_id")] public string? EpisodeId { get; init; }
    [JsonPropertyName("target_stage")] public string? TargetStage { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset UpdatedAt { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary><c>GET /async/stats</c>.</summary>
public sealed record StatsResponse(
    [property: JsonPropertyName("queued")] int Queued,
    [property: JsonPropertyName("running")] int Running,
    [property: JsonPropertyName("completed")] int Completed,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("cancelled")] int Cancelled,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("max_workers")] int MaxWorkers,
    [property: JsonPropertyName("episodes")] int Episodes);

/// <summary>Job status words of the contract.</summary>
public static class JobStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Completed, Failed, Cancelled];
}
