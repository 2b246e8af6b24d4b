using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EpisodePipeline.Services.Catalog;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// FFmpeg and ffprobe (found on PATH), started with one argument per path and a <c>file:</c> prefix, so any
/// name a file system allows reaches them intact: quotes, backslashes, a leading dash, <c>%</c>, a colon.
/// (FFMpegCore joins everything into one command line and wraps paths in unescaped quotes.)
/// </summary>
public sealed class FfmpegAudioExtractor : IAudioExtractor
{
    private const int StderrLimit = 64 * 1024;

    public async Task<ExtractedAudio> ExtractWavAsync(string mediaPath, int trackIndex, string wavPath, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trackIndex);
        var name = Path.GetFileName(mediaPath);
        var stream = await ProbeStreamAsync(mediaPath, trackIndex, cancellationToken);

        var temp = AtomicFile.TempPathFor(wavPath);
        try
        {
            var run = await RunAsync("ffmpeg",
                ["-hide_banner", "-nostdin", "-nostats", "-v", "error",
                 "-i", FileUrl(mediaPath),
                 "-map", string.Create(CultureInfo.InvariantCulture, $"0:a:{trackIndex}"),
                 "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
                 "-af", Filter(stream.Channels, stream.ChannelLayout),
                 "-ac", "1", "-ar", WavFile.SampleRate.ToString(CultureInfo.InvariantCulture),
                 "-c:a", "pcm_s16le", "-f", "wav", "-y", FileUrl(temp)],
                cancellationToken);
            if (run.ExitCode != 0)
            {
                throw Failure(run, mediaPath, $"Audio track {trackIndex} of '{name}' could not be decoded; the file may be damaged or in a form FFmpeg cannot read.");
            }

            var decoded = WavFile.DurationSeconds(temp);
            if (decoded <= stream.LeadSeconds)
            {
                throw new MediaUnreadableException(
                    $"Audio track {trackIndex} of '{name}' decodes to no sound at all; the file may be damaged or empty.{Said(FfmpegErrors.LastMeaningfulLine(run.Stderr, FileUrl(mediaPath)))}");
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

    public async Task<IReadOnlyList<AudioTrack>> ReadTracksAsync(string mediaPath, CancellationToken cancellationToken)
    {
        var run = await RunAsync("ffprobe",
            ["-hide_banner", "-v", "error", "-select_streams", "a",
             "-show_entries", "stream=codec_name,channels,channel_layout,start_time:stream_tags=language:stream_disposition=default:format=start_time",
             "-of", "json", FileUrl(mediaPath)],
            cancellationToken);
        if (run.ExitCode != 0)
        {
            throw Failure(run, mediaPath, $"'{Path.GetFileName(mediaPath)}' could not be read as media; the file may be damaged, incomplete or not media at all.");
        }

        using var json = JsonDocument.Parse(run.Stdout);
        var formatStart = json.RootElement.TryGetProperty("format", out var format) ? Number(format, "start_time") : null;
        if (!json.RootElement.TryGetProperty("streams", out var streams))
        {
            return [];
        }

        return [.. streams.EnumerateArray().Select((stream, i) =>
        {
            var language = stream.TryGetProperty("tags", out var tags) ? String(tags, "language") : null;
            return new AudioTrack(
                i,
                string.IsNullOrEmpty(language) || language == "und" ? null : language,
                stream.TryGetProperty("disposition", out var disposition) && disposition.TryGetProperty("default", out var isDefault) && isDefault.TryGetInt32(out var d) && d == 1,
                stream.TryGetProperty("channels", out var channels) && channels.TryGetInt32(out var c) ? c : 0,
                String(stream, "channel_layout"),
                String(stream, "codec_name"),
                LeadSeconds(Number(stream, "start_time"), formatStart));
        })];
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
        var run = await RunAsync("ffprobe",
            ["-hide_banner", "-v", "error",
             "-select_streams", string.Create(CultureInfo.InvariantCulture, $"a:{trackIndex}"),
             "-show_entries", "stream=channels,channel_layout,start_time,duration:stream_tags=DURATION:format=start_time,duration",
             "-of", "json", FileUrl(mediaPath)],
            cancellationToken);
        if (run.ExitCode != 0)
        {
            throw Failure(run, mediaPath, $"'{name}' could not be read as media; the file may be damaged, incomplete or not media at all.");
        }

        using var json = JsonDocument.Parse(run.Stdout);
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

    private static Exception Failure(ToolRun run, string mediaPath, string sentence)
    {
        var said = FfmpegErrors.LastMeaningfulLine(run.Stderr, FileUrl(mediaPath));
        // Killed (out of memory) or out of disk space: the media is fine and another attempt may succeed.
        if (run.ExitCode > 128 || said?.Contains("No space left", StringComparison.OrdinalIgnoreCase) == true
            || said?.Contains("Cannot allocate memory", StringComparison.OrdinalIgnoreCase) == true)
        {
            return new IOException($"FFmpeg stopped with exit code {run.ExitCode} before it finished.{Said(said)}");
        }

        return new MediaUnreadableException(sentence + Said(said));
    }

    private static string Said(string? line) => line is null ? "" : $" FFmpeg: {line}";

    private sealed record ToolRun(int ExitCode, string Stdout, string Stderr);

    private static async Task<ToolRun> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{program} was not found on PATH; install FFmpeg (e.g. sudo apt-get install ffmpeg).", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = ReadTailAsync(process.StandardError, cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new ToolRun(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Keeps the end of a long standard error: the problem is named last.</summary>
    private static async Task<string> ReadTailAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > StderrLimit * 2)
            {
                tail.Remove(0, tail.Length - StderrLimit);
            }
        }

        return tail.ToString();
    }
}
