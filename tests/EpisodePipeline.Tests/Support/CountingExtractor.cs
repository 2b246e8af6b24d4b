using EpisodePipeline.Services.Media;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// The real FFmpeg extractor, counting its calls (so a test sees whether a failure was retried) and
/// optionally doing something to the media right after FFmpeg has read it.
/// </summary>
public sealed class CountingExtractor(FfmpegAudioExtractor inner) : IAudioExtractor
{
    private int _extractions;
    private int _trackReads;

    public int Extractions => Volatile.Read(ref _extractions);

    public int TrackReads => Volatile.Read(ref _trackReads);

    /// <summary>Runs after each extraction with the media path, before the activity checks the file again.</summary>
    public Action<string>? AfterExtraction { get; set; }

    public Task<IReadOnlyList<AudioTrack>> ReadTracksAsync(string mediaPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _trackReads);
        return inner.ReadTracksAsync(mediaPath, cancellationToken);
    }

    public async Task<ExtractedAudio> ExtractWavAsync(string mediaPath, int trackIndex, string wavPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _extractions);
        var audio = await inner.ExtractWavAsync(mediaPath, trackIndex, wavPath, cancellationToken);
        AfterExtraction?.Invoke(mediaPath);
        return audio;
    }
}
