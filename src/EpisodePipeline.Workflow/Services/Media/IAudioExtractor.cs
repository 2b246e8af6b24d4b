namespace EpisodePipeline.Services.Media;

/// <summary>Turns one audio track of any media file into the audio Whisper wants.</summary>
public interface IAudioExtractor
{
    /// <summary>
    /// Writes audio track <paramref name="trackIndex"/> (0 = first audio stream) of <paramref name="mediaPath"/>
    /// as 16 kHz mono 16-bit PCM WAV to <paramref name="wavPath"/>, whatever its channel count or layout, on the
    /// media's timeline: a track that starts late is preceded by silence, so WAV times are media times.
    /// The file appears whole or not at all.
    /// </summary>
    /// <exception cref="MediaUnreadableException">The track cannot be decoded; retrying will not help.</exception>
    Task<ExtractedAudio> ExtractWavAsync(string mediaPath, int trackIndex, string wavPath, CancellationToken cancellationToken);
}
