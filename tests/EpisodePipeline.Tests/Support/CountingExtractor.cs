using EpisodePipeline.Services.Media;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// The real FFmpeg extractor, counting its calls (so a test sees whether a failure was retried) and
/// optionally doing something to the media right after FFmpeg has read it.
/// </summary>
public sealed class CountingExtractor(FfmpegAudioExtractor inner) : IAudioExtractor
{
    private int _extractions;

    public int Extractions => Volatile.Read(ref _extractions);

    /// <summary>Runs after each extraction with the media path, before the activity checks the file again.</summary>
    public Action<string>? AfterExtraction { get; set; }

    public async Task<ExtractedAudio> ExtractWavAsync(string mediaPath, int trackIndex, string wavPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _extractions);
        var audio = await inner.ExtractWavAsync(mediaPath, trackIndex, wavPath, cancellationToken);
        AfterExtraction?.Invoke(mediaPath);
        return audio;
    }
}
