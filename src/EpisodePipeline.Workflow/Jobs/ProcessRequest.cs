using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Body of <c>POST /async/episodes/{id}/process</c>; every field is optional.</summary>
public sealed record ProcessRequest
{
    /// <summary>The episode; must match the URL's when given.</summary>
    [JsonPropertyName("episode_id")] public string? EpisodeId { get; init; }

    /// <summary>How far to take the episode: <c>transcribed</c>, <c>enriched</c> or <c>rendered</c> (the default).</summary>
    [JsonPropertyName("target_stage")] public string? TargetStage { get; init; }

    /// <summary>Redo every stage even when its artifact was made from the same inputs (default false: reuse it).</summary>
    [JsonPropertyName("force_reprocess")] public bool? ForceReprocess { get; init; }

    /// <summary>An absolute http(s) URL to announce the job's end to with a signed POST (Standard Webhooks); needs the host's webhook secret.</summary>
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }

    /// <summary>Which audio track to transcribe (0 = the file's first audio stream); default: chosen by language (see README).</summary>
    [JsonPropertyName("audio_track")] public int? AudioTrack { get; init; }
}
