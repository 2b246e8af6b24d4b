using System.Globalization;
using System.Text.Json;
using EpisodePipeline.Services.Catalog;
using FFMpegCore;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// Extraction with FFmpeg through FFMpegCore, track facts with ffprobe (<see cref="ToolProcess"/>, one argv entry
/// per argument). Paths carry a <c>file:</c> prefix, so FFmpeg reads <c>http:x.mp3</c> or <c>-x.mp3</c> as the
/// file it is, and FFMpegCore gets them escaped for the quotes it wraps them in (<see cref="CommandLine"/>), so
/// any name a file system allows reaches FFmpeg intact: quotes, backslashes, <c>%</c>, a colon, emoji.
/// </summary>
public sealed class FfmpegAudioExtractor : IAudioExtractor
{
    /// <summary>ffprobe reads a header; a minute means a stalled file system, not a slow file.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(1);

    public async Task<ExtractedAudio> ExtractWavAsync(string mediaPath, int trackIndex, string wavPath, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trackIndex);
        var name = Path.GetFileName(mediaPath);
        var stream = await ProbeStreamAsync(mediaPath, trackIndex, cancellationToken);

        var temp = AtomicFile.TempPathFor(wavPath);
        try
        {
            var stderr = new List<string>();
            string? LastLine()
            {
                lock (stderr)
                {
                    return FfmpegErrors.LastMeaningfulLine(string.Join('\n', stderr), FileUrl(mediaPath));
                }
            }

            try
            {
                await FFMpegArguments
                    .FromFileInput(CommandLine.EscapeQuoted(FileUrl(mediaPath)), verifyExists: false)
                    .OutputToFile(CommandLine.EscapeQuoted(FileUrl(temp)), overwrite: true, o => o
                        .WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-map 0:a:{trackIndex}"))
                        .WithCustomArgument("-vn -sn -dn -map_metadata -1 -map_chapters -1")
                        .WithCustomArgument($"-af {Filter(stream.Channels, stream.ChannelLayout)}")
                        .WithCustomArgument("-ac 1")
                        .WithAudioSamplingRate(WavFile.SampleRate)
                        .WithAudioCodec("pcm_s16le")
                        .ForceFormat("wav"))
                    .WithLogLevel(FFMpegCore.Enums.FFMpegLogLevel.Error)
                    .NotifyOnStandardError(line =>
                    {
                        lock (stderr)
                        {
                            stderr.Add(line);
                        }
                    })
                    .CancellableThrough(cancellationToken)
                    .ProcessAsynchronously(true, null, cancellationToken);
            }
            catch (FFMpegCore.Exceptions.FFMpegException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failure(LastLine(), $"Audio track {trackIndex} of '{name}' could not be decoded; the file may be damaged or in a form FFmpeg cannot read.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            var decoded = WavFile.DurationSeconds(temp);
            if (decoded <= stream.LeadSeconds)
            {
                throw new MediaUnreadableException(
                    $"Audio track {trackIndex} of '{name}' decodes to no sound at all; the file may be damaged or empty.{Said(LastLine())}");
            }

            File.Move(temp, wavPath, overwrite: true);
            return new ExtractedAudio(decoded, stream.LeadSeconds, stream.DeclaredEndSeconds);
        }
        finally
        {
            // A failed, cancelled or killed FFmpeg leaves a partial WAV as large as the audio it decoded.
            File.Delete(temp);
        }
    }

    /// <summary>
    /// The <c>-af</c> filter chain. A layout FFmpeg knows is downmixed by FFmpeg's own matrix (centre and fronts
    /// weighted as a listener hears them); without one (12 channels from a recorder, say), FFmpeg refuses with
    /// "Rematrix is needed", so every channel is averaged instead. Then <c>aresample</c> with
    /// <c>first_pts=0</c> pads a late track with silence from media time 0 and fills gaps, so WAV time is
    /// media time; transcript times line up with the video without any offset arithmetic downstream.
    /// </summary>
    internal static string Filter(int channels, string? channelLayout)
    {
        var timeline = string.Create(CultureInfo.InvariantCulture, $"aresample={WavFile.SampleRate}:async=1:first_pts=0");
        if (channels <= 0 || HasKnownLayout(channelLayout))
        {
            return timeline;
        }

        var all = string.Join('+', Enumerable.Range(0, channels).Select(c => string.Create(CultureInfo.InvariantCulture, $"c{c}")));
        // '<' renormalises the gains to a sum of 1: an average, which cannot clip.
        return $"pan=mono|c0<{all},{timeline}";
    }

    /// <summary>ffprobe names unknown layouts "unknown" or "12 channels" (or nothing at all).</summary>
    internal static bool HasKnownLayout(string? channelLayout) =>
        !string.IsNullOrWhiteSpace(channelLayout)
        && !channelLayout.Equals("unknown", StringComparison.OrdinalIgnoreCase)
        && !channelLayout.Contains("channels", StringComparison.OrdinalIgnoreCase);

    /// <summary>How late a track starts on the media's timeline, which begins at the container's start time.</summary>
    internal static double LeadSeconds(double? streamStart, double? formatStart) =>
        streamStart is { } s ? Math.Max(0, s - (formatStart ?? 0)) : 0;

    /// <summary>Parses Matroska's <c>DURATION</c> tag, <c>00:00:06.000000000</c> (more digits than <see cref="TimeSpan"/> reads).</summary>
    internal static double? ParseClock(string? value)
    {
        var parts = value?.Split(':');
        if (parts is not { Length: 3 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || !double.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        return (hours * 3600) + (minutes * 60) + seconds;
    }

    /// <summary>ffmpeg would read <c>http:x.mp3</c> as a URL and <c>-x.mp3</c> as an option; <c>file:</c> reads the path as it is.</summary>
    private static string FileUrl(string path) => "file:" + Path.GetFullPath(path);

    private sealed record StreamFacts(int Channels, string? ChannelLayout, double LeadSeconds, double? DeclaredEndSeconds);

    private static async Task<StreamFacts> ProbeStreamAsync(string mediaPath, int trackIndex, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(mediaPath);
        var run = await ToolProcess.RunAsync("ffprobe",
            ["-hide_banner", "-v", "error",
             "-select_streams", string.Create(CultureInfo.InvariantCulture, $"a:{trackIndex}"),
             "-show_entries", "stream=channels,channel_layout,start_time,duration:stream_tags=DURATION:format=start_time,duration",
             "-of", "json", FileUrl(mediaPath)],
            ProbeTimeout,
            cancellationToken);
        if (run.ExitCode != 0 || run.TimedOut)
        {
            throw Failure(run, mediaPath, $"'{name}' could not be read as media; the file may be damaged, incomplete or not media at all.");
        }

        using var json = JsonDocument.Parse(run.Output);
        if (!json.RootElement.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
        {
            throw new MediaUnreadableException($"'{name}' has no audio track {trackIndex}, so there is nothing to transcribe.");
        }

        var stream = streams[0];
        var format = json.RootElement.TryGetProperty("format", out var f) ? f : default;
        var lead = LeadSeconds(Number(stream, "start_time"), Number(format, "start_time"));
        // MP4, MP3, WAV give the track's length; FFmpeg's Matroska muxer writes a DURATION tag with where it ends.
        var declared = Number(stream, "duration") is { } length
            ? lead + length
            : (stream.TryGetProperty("tags", out var tags) ? ParseClock(String(tags, "DURATION")) : null) ?? Number(format, "duration");
        return new StreamFacts(
            stream.TryGetProperty("channels", out var channels) && channels.TryGetInt32(out var c) ? c : 0,
            String(stream, "channel_layout"),
            lead,
            declared);
    }

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static double? Number(JsonElement element, string property) =>
        double.TryParse(String(element, property), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static Exception Failure(ToolProcess run, string mediaPath, string sentence) =>
        run.TimedOut || run.ExitCode > 128
            ? new IOException($"ffprobe stopped (exit code {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}) before it finished.{Said(FfmpegErrors.LastMeaningfulLine(run.Error, FileUrl(mediaPath)))}")
            : Failure(FfmpegErrors.LastMeaningfulLine(run.Error, FileUrl(mediaPath)), sentence);

    private static Exception Failure(string? said, string sentence)
    {
        // Killed (out of memory: nothing said) or out of disk space: the media is fine and another attempt may succeed.
        if (said is null || said.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || said.Contains("Cannot allocate memory", StringComparison.OrdinalIgnoreCase))
        {
            return new IOException($"FFmpeg stopped before it finished.{Said(said)}");
        }

        return new MediaUnreadableException(sentence + Said(said));
    }

    private static string Said(string? line) => line is null ? "" : $" FFmpeg: {line}";
}
