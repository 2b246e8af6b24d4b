namespace EpisodePipeline.Services;

/// <summary>Reads facts about a media file.</summary>
public interface IMediaProbe
{
    /// <summary>The playing time of <paramref name="mediaPath"/> in seconds.</summary>
    Task<double> GetDurationSecondsAsync(string mediaPath, CancellationToken cancellationToken);
}

/// <summary>Turns any media file into the audio Whisper wants.</summary>
public interface IAudioExtractor
{
    /// <summary>Writes 16 kHz mono 16-bit PCM WAV to <paramref name="wavPath"/> and returns its duration in seconds.</summary>
    Task<double> ExtractWavAsync(string mediaPath, string wavPath, CancellationToken cancellationToken);
}
