using FFMpegCore;

namespace EpisodePipeline.Services.Media;

/// <summary>ffprobe (found on PATH) through FFMpegCore; extraction is <see cref="FfmpegAudioExtractor"/>.</summary>
public sealed class FfmpegMediaTools : IMediaProbe
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
}
