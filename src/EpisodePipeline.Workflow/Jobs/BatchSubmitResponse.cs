using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Answer to <c>POST /async/batches</c>: the batch job to poll.</summary>
/// <param name="JobType">Always <see cref="JobTypes.Batch"/>.</param>
public sealed record BatchSubmitResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] JobStatus Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status_url")] string StatusUrl,
    [property: JsonPropertyName("job_type")] string JobType);
