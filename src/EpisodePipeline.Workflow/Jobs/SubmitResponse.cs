using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Answer to a submit or a retry: the job to poll.</summary>
/// <param name="RetryOf">For a retry (<c>POST /async/jobs/{id}/retry</c>), the job retried; left out of a submit's answer.</param>
public sealed record SubmitResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] JobStatus Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status_url")] string StatusUrl,
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("existing")] bool Existing,
    [property: JsonPropertyName("retry_of"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RetryOf = null);
