using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Answer to a submit: the job to poll.</summary>
public sealed record SubmitResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] JobStatus Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status_url")] string StatusUrl,
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("existing")] bool Existing);
