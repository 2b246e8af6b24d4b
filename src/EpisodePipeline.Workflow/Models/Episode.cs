using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>A media file found by discovery, as kept in the catalog.</summary>
public sealed record Episode
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("stage")] public EpisodeStage Stage { get; init; } = EpisodeStage.Discovered;
    [JsonPropertyName("media_path")] public required string MediaPath { get; init; }
    [JsonPropertyName("size_bytes")] public long SizeBytes { get; init; }
    [JsonPropertyName("modified_at")] public DateTimeOffset ModifiedAt { get; init; }
    /// <summary>Playing time in seconds the container declares (ffprobe), null when unknown.</summary>
    [JsonPropertyName("duration_seconds")] public double? DurationSeconds { get; init; }

    /// <summary>Seconds of audio the last extraction actually decoded; less than <see cref="DurationSeconds"/> for a truncated file.</summary>
    [JsonPropertyName("decoded_seconds")] public double? DecodedSeconds { get; init; }

    [JsonPropertyName("media_status")] public MediaStatus MediaStatus { get; init; } = MediaStatus.Ready;

    /// <summary>Why the media is <see cref="MediaStatus.Unreadable"/> (or still <see cref="MediaStatus.Settling"/>); null when ready.</summary>
    [JsonPropertyName("media_problem")] public string? MediaProblem { get; init; }

    /// <summary>The file's audio tracks as discovery probed them.</summary>
    [JsonPropertyName("audio_tracks")] public IReadOnlyList<Services.Media.AudioTrack> AudioTracks { get; init; } = [];

    /// <summary>The audio track the current transcript was made from (index among audio streams).</summary>
    [JsonPropertyName("audio_track")] public int? AudioTrack { get; init; }
    [JsonPropertyName("discovered_at")] public DateTimeOffset DiscoveredAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True when the media file was gone at the last discovery; kept so its artifacts stay reachable.</summary>
    [JsonPropertyName("missing")] public bool Missing { get; init; }

    /// <summary>The job that last took this episode on; a submit while it is active joins it.</summary>
    [JsonPropertyName("active_job_id")] public string? ActiveJobId { get; init; }

    /// <summary>
    /// The batch that recorded <see cref="ActiveJobId"/> as one of its ProcessEpisode sub-orchestrations; null for a job
    /// submitted directly. While that batch runs, its job counts as active even in the moment before it is created.
    /// </summary>
    [JsonPropertyName("active_batch_id")] public string? ActiveBatchId { get; init; }

    /// <summary>Artifact kind (<c>audio</c>, <c>transcript</c>, <c>transcript_text</c>) → path relative to the data folder.</summary>
    [JsonPropertyName("artifacts")] public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();
}
