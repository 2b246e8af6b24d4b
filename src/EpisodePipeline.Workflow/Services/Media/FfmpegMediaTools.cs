using EpisodePipeline.Services.Catalog;
using FFMpegCore;

namespace EpisodePipeline.Services.Media;

/// <summary>FFmpeg and ffprobe (found on PATH): extraction through FFMpegCore, probing through <see cref="FfmpegProbe"/>.</summary>
public sealed class FfmpegMediaTools : IMediaProbe, IAudioExtractor
{
    public const int SampleRate = 16_000;

    private static readonly FfmpegProbe Probe = new();

    /// <inheritdoc cref="FfmpegProbe.ProbeAsync"/>
    public Task<MediaInfo> ProbeAsync(string mediaPath, CancellationToken cancellationToken) => Probe.ProbeAsync(mediaPath, cancellationToken);

    /// <inheritdoc cref="FfmpegProbe.ProbeManyAsync"/>
    public Task<IReadOnlyList<ProbeOutcome>> ProbeManyAsync(IReadOnlyList<string> mediaPaths, CancellationToken cancellationToken) =>
        Probe.ProbeManyAsync(mediaPaths, cancellationToken);

    public async Task<double> ExtractWavAsync(string mediaPath, string wavPath, CancellationToken cancellationToken)
    {
        var temp = AtomicFile.TempPathFor(wavPath) + ".wav";
        try
        {
            // throwOnError: a failed ffmpeg run raises with its stderr, which names the problem.
            await FFMpegArguments
                .FromFileInput(mediaPath)
                .OutputToFile(temp, overwrite: true, o => o
                    .WithAudioCodec("pcm_s16le")
                    .WithAudioSamplingRate(SampleRate)
                    .WithCustomArgument("-vn -ac 1 -map_metadata -1"))
                .CancellableThrough(cancellationToken)
                .ProcessAsynchronously(true, null, cancellationToken);
            File.Move(temp, wavPath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return WavFile.DurationSeconds(wavPath);
    }
}
