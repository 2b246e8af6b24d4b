using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>
/// How far an episode has come; also the <c>target_stage</c> of a job. Ordered: a later stage
/// implies every earlier one. Wire names are the <see cref="JsonStringEnumMemberNameAttribute"/>s
/// (read them with <see cref="WireName"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<EpisodeStage>))]
public enum EpisodeStage
{
    [JsonStringEnumMemberName("discovered")] Discovered,
    [JsonStringEnumMemberName("transcribed")] Transcribed,
    [JsonStringEnumMemberName("enriched")] Enriched,
    [JsonStringEnumMemberName("rendered")] Rendered,
}
