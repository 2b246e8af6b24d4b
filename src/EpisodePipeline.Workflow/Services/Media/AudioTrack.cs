using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Media;

/// <summary>One audio stream of a media file, as ffprobe reports it.</summary>
/// <param name="Index">Position among the file's audio streams (0 = first), as FFmpeg's <c>-map 0:a:N</c> counts.</param>
/// <param name="Language">ISO 639-2 tag (<c>eng</c>, <c>ger</c>/<c>deu</c>) or null when untagged.</param>
/// <param name="IsDefault">The container marks this track as the one players pick.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="ChannelLayout">FFmpeg's layout name (<c>stereo</c>, <c>5.1</c>) or null when the file declares none.</param>
/// <param name="Codec">FFmpeg's codec name, e.g. <c>aac</c>.</param>
/// <param name="StartSeconds">Where the track starts on the media's timeline, in seconds (non-zero when audio begins after the video).</param>
public sealed record AudioTrack(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("language")] string? Language,
    [property: JsonPropertyName("default")] bool IsDefault,
    [property: JsonPropertyName("channels")] int Channels,
    [property: JsonPropertyName("channel_layout")] string? ChannelLayout,
    [property: JsonPropertyName("codec")] string? Codec,
    [property: JsonPropertyName("start_seconds")] double StartSeconds);
