using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Jobs;

/// <summary>Input of the ProcessEpisode orchestration; also what the job API reads back.</summary>
/// <param name="RetryOf">The failed or cancelled job this one retries (<c>POST /async/jobs/{id}/retry</c>); null otherwise.</param>
public sealed record ProcessEpisodeInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("target_stage")] EpisodeStage TargetStage,
    [property: JsonPropertyName("force_reprocess")] bool ForceReprocess,
    [property: JsonPropertyName("webhook_url")] string? WebhookUrl,
    [property: JsonPropertyName("audio_track")] int? AudioTrack = null,
    [property: JsonPropertyName("retry_of")] string? RetryOf = null);
