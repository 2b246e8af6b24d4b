using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Media;

/// <summary>What ffprobe says about a media file: its audio tracks and the duration the container declares.</summary>
public sealed record MediaInfo
{
    /// <summary>ffprobe's <c>format_name</c>, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>.</summary>
    [JsonPropertyName("format")] public string? Format { get; init; }

    /// <summary>Declared playing time in seconds; null when the container does not say.</summary>
    [JsonPropertyName("duration_seconds")] public double? DurationSeconds { get; init; }

    [JsonPropertyName("has_video")] public bool HasVideo { get; init; }

    /// <summary>The audio tracks in file order; empty for a file without sound.</summary>
    [JsonPropertyName("audio_tracks")] public IReadOnlyList<AudioTrack> AudioTracks { get; init; } = [];
}
