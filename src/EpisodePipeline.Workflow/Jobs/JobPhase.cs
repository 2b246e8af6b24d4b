using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>
/// A job's <c>current_stage</c> in the contract: what it is doing now. Each phase owns a band of
/// <c>progress</c> (<see cref="JobPhases.Band"/>), as in the reference guide's "Progress Stages".
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobPhase>))]
public enum JobPhase
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("starting")] Starting,
    [JsonStringEnumMemberName("transcribing")] Transcribing,
    [JsonStringEnumMemberName("enriching")] Enriching,
    [JsonStringEnumMemberName("rendering")] Rendering,
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>A batch job: discovery runs and picks the episodes below the target stage.</summary>
    [JsonStringEnumMemberName("discovering")] Discovering,

    /// <summary>A batch job: its episodes' ProcessEpisode jobs run, a bounded number at once.</summary>
    [JsonStringEnumMemberName("processing")] Processing,
}
