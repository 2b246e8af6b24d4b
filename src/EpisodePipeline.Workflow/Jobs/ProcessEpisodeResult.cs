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

    /// <summary>Seconds the job took from start to end (orchestration time), as opposed to <see cref="Duration"/>, the media's.</summary>
    [JsonPropertyName("job_seconds")] public double? JobSeconds { get; init; }

    /// <summary>
    /// Seconds each stage this job ran took (orchestration time): <see cref="StageTimes"/> key → seconds, only the
    /// stages up to the target; a reused stage counts the time spent finding it up to date. They add up to <see cref="JobSeconds"/>.
    /// </summary>
    [JsonPropertyName("stage_seconds")] public IReadOnlyDictionary<string, double>? StageSeconds { get; init; }

    /// <summary>The episode's published page under the host's <c>/site/</c> (rendered jobs only); relative to the API's address.</summary>
    [JsonPropertyName("page_url")] public string? PageUrl { get; init; }

    /// <summary>The page's address under <c>Pipeline:Render:BaseUrl</c>, where the site is published.</summary>
    [JsonPropertyName("public_url")] public string? PublicUrl { get; init; }

    /// <summary>Rendered file kind (<c>page</c>, <c>captions_vtt</c>, <c>chapters_json</c>, …) → path relative to the output folder.</summary>
    [JsonPropertyName("files")] public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>Rendered file kind → URL under <c>/site/</c>.</summary>
    [JsonPropertyName("urls")] public IReadOnlyDictionary<string, string>? Urls { get; init; }

    /// <summary>Artifact kind → path relative to the data folder.</summary>
    [JsonPropertyName("artifacts")] public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();
}
