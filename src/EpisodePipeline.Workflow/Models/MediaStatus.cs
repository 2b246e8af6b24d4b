using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>Whether an episode's media file can be processed, as discovery last found it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MediaStatus>))]
public enum MediaStatus
{
    /// <summary>Probed: readable media with at least one audio track, and done changing.</summary>
    [JsonStringEnumMemberName("ready")] Ready,

    /// <summary>Size or modification time changed within the settle period: probably still being copied in.</summary>
    [JsonStringEnumMemberName("settling")] Settling,

    /// <summary>Empty, not media, damaged, or without an audio track; <see cref="Episode.MediaProblem"/> says which.</summary>
    [JsonStringEnumMemberName("unreadable")] Unreadable,
}
