using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Body of <c>POST /async/episodes/{id}/process</c>; every field is optional.</summary>
public sealed record ProcessRequest
{
    [JsonPropertyName("episode_id")] public string? EpisodeId { get; init; }
    [JsonPropertyName("target_stage")] public string? TargetStage { get; init; }
    [JsonPropertyName("force_reprocess")] public bool? ForceReprocess { get; init; }
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }

    /// <summary>Which audio track to transcribe (0 = the file's first audio stream); default: chosen by language (see README).</summary>
    [JsonPropertyName("audio_track")] public int? AudioTrack { get; init; }
}
