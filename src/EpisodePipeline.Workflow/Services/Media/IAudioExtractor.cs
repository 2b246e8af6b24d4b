namespace EpisodePipeline.Services.Media;

/// <summary>Turns any media file into the audio Whisper wants.</summary>
public interface IAudioExtractor
{
    /// <summary>Writes 16 kHz mono 16-bit PCM WAV to <paramref name="wavPath"/> and returns its duration in seconds.</summary>
    Task<double> ExtractWavAsync(string mediaPath, string wavPath, CancellationToken cancellationToken);
}
