using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Jobs;

/// <summary>Output of the ProcessEpisode orchestration: references to artifacts, never their content.</summary>
public sealed record ProcessEpisodeResult
{
    [JsonPropertyName("episode_id")] public required string EpisodeId { get; init; }
    [JsonPropertyName("stage")] public required EpisodeStage Stage { get; init; }
    [JsonPropertyName("duration")] public double Duration { get; init; }
    [JsonPropertyName("reused")] public bool Reused { get; init; }
    [JsonPropertyName("segments")] public int Segments { get; init; }

    /// <summary>The audio track transcribed (0 = first audio stream), null when not known.</summary>
    [JsonPropertyName("audio_track")] public int? AudioTrack { get; init; }

    /// <summary>Things a person should know although the job completed, e.g. media that decodes shorter than it claims.</summary>
    [JsonPropertyName("warnings")] public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Artifact kind → path relative to the data folder.</summary>
    [JsonPropertyName("artifacts")] public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();
}
