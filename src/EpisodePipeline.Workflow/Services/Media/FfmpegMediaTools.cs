using EpisodePipeline.Services.Catalog;
using FFMpegCore;

namespace EpisodePipeline.Services.Media;

/// <summary>FFmpeg and ffprobe (found on PATH) through FFMpegCore.</summary>
public sealed class FfmpegMediaTools : IMediaProbe, IAudioExtractor
{
    public const int SampleRate = 16_000;

    public async Task<MediaInfo> ProbeAsync(string mediaPath, CancellationToken cancellationToken)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(mediaPath, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new MediaUnreadableException($"'{Path.GetFileName(mediaPath)}' could not be read as media: {ex.Message}", ex);
        }

        return new MediaInfo
        {
            Format = analysis.Format.FormatName,
            DurationSeconds = analysis.Format.Duration > TimeSpan.Zero ? analysis.Format.Duration.TotalSeconds : null,
            // Cover art in an audio file is a video stream marked attached_pic; it is not a picture to show.
            HasVideo = analysis.VideoStreams.Any(v => v.Disposition?.GetValueOrDefault("attached_pic") != true),
            AudioTracks = [.. analysis.AudioStreams.Select((a, i) => new AudioTrack(
                i,
                string.IsNullOrEmpty(a.Language) || a.Language == "und" ? null : a.Language,
                a.Disposition?.GetValueOrDefault("default") == true,
                a.Channels ?? 0,
                string.IsNullOrEmpty(a.ChannelLayout) ? null : a.ChannelLayout,
                a.CodecName,
                a.StartTime.TotalSeconds))],
        };
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
