namespace EpisodePipeline.Services.Media;

/// <summary>
/// The media cannot be turned into audio: empty, not a media file, damaged, or without an audio track.
/// Retrying never helps, so the workflow fails at once. <see cref="Exception.Message"/> is one sentence a
/// person can act on, followed by FFmpeg's last meaningful line where there is one.
/// </summary>
public sealed class MediaUnreadableException(string message, Exception? inner = null) : Exception(message, inner);
