using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Jobs;

/// <summary>Input of the ProcessEpisode orchestration; also what the job API reads back.</summary>
public sealed record ProcessEpisodeInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("target_stage")] Stage TargetStage,
    [property: JsonPropertyName("force_reprocess")] bool ForceReprocess,
    [property: JsonPropertyName("webhook_url")] string? WebhookUrl);

/// <summary>Output of the ProcessEpisode orchestration: references to artifacts, never their content.</summary>
public sealed record ProcessEpisodeResult
{
    [JsonPropertyName("episode_id")] public required string EpisodeId { get; init; }
    [JsonPropertyName("stage")] public required Stage Stage { get; init; }
    [JsonPropertyName("duration")] public double Duration { get; init; }
    [JsonPropertyName("reused")] public bool Reused { get; init; }
    [JsonPropertyName("segments")] public int Segments { get; init; }

    /// <summary>Artifact kind → path relative to the data folder.</summary>
    [JsonPropertyName("artifacts")] public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();
}

/// <summary>Artifact kinds recorded in the catalog and in job results.</summary>
public static class ArtifactKinds
{
    public const string Audio = "audio";
    public const string Transcript = "transcript";
    public const string TranscriptText = "transcript_text";
}
