using FFMpegCore;

namespace EpisodePipeline.Services;

/// <summary>FFmpeg and ffprobe (found on PATH) through FFMpegCore.</summary>
public sealed class FfmpegMediaTools : IMediaProbe, IAudioExtractor
{
    public const int SampleRate = 16_000;

    public async Task<double> GetDurationSecondsAsync(string mediaPath, CancellationToken cancellationToken)
    {
        var analysis = await FFProbe.AnalyseAsync(mediaPath, cancellationToken: cancellationToken);
        return analysis.Duration.TotalSeconds;
    }

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
