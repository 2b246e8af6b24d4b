using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// Probes media with FFmpeg's tools found on PATH. One file: <c>ffprobe</c>'s JSON. Many files: one
/// <c>ffmpeg -i a -i b …</c> run per batch, a few batches at a time, because starting an FFmpeg process costs
/// about 0.1 s of CPU before it reads anything (it loads some two hundred libraries). A file the batch cannot
/// describe exactly, or that stops it (FFmpeg exits at the first input it cannot open), is asked of ffprobe
/// alone, and the batch goes on with the files after it.
/// </summary>
public sealed partial class FfmpegProbe : IMediaProbe
{
    /// <summary>Files one ffmpeg run opens; small enough that a stop near the end re-runs little.</summary>
    public const int BatchSize = 40;

    private static readonly TimeSpan FileTimeout = TimeSpan.FromSeconds(60);

    private readonly int _parallelism;
    private int _singleFileRuns;

    /// <param name="parallelism">ffmpeg runs at once; default: the processor count, at most 8.</param>
    public FfmpegProbe(int? parallelism = null) =>
        _parallelism = Math.Max(1, parallelism ?? Math.Min(Environment.ProcessorCount, 8));

    /// <summary>ffprobe runs so far: files the batches could not describe exactly, or that stopped a batch.</summary>
    internal int SingleFileRuns => Volatile.Read(ref _singleFileRuns);

    [GeneratedRegex(@"^\[[^\]]+ @ 0x[0-9a-fA-F]+\] ")]
    private static partial Regex ComponentPrefix();

    public async Task<MediaInfo> ProbeAsync(string mediaPath, CancellationToken cancellationToken)
    {
        var outcome = await ProbeOneAsync(mediaPath, cancellationToken);
        return outcome.Info ?? throw new MediaUnreadableException(outcome.Problem!);
    }

    public async Task<IReadOnlyList<ProbeOutcome>> ProbeManyAsync(IReadOnlyList<string> mediaPaths, CancellationToken cancellationToken)
    {
        var outcomes = new ProbeOutcome[mediaPaths.Count];
        var batched = new List<int>();
        for (var i = 0; i < mediaPaths.Count; i++)
        {
            // A line break in a name could make FFmpeg's text say something about another file: ask ffprobe (JSON).
            if (mediaPaths[i].Any(char.IsControl) || IsEmpty(mediaPaths[i]))
            {
                outcomes[i] = await ProbeOneAsync(mediaPaths[i], cancellationToken);
            }
            else
            {
                batched.Add(i);
            }
        }

        // Spread the files over the runs so a small discovery still uses every run it may.
        var size = Math.Clamp((batched.Count + _parallelism - 1) / _parallelism, 1, BatchSize);
        var batches = batched.Chunk(size);
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            async (batch, token) => await ProbeBatchAsync(mediaPaths, batch, outcomes, token));
        return outcomes;
    }

    private async Task ProbeBatchAsync(IReadOnlyList<string> paths, int[] batch, ProbeOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var pending = batch.AsMemory();
        while (pending.Length > 0)
        {
            var arguments = new List<string> { "-hide_banner", "-nostdin", "-v", "level+trace" };
            foreach (var index in pending.Span)
            {
                // The ffmpeg tool would otherwise guess a layout for audio that declares none ("1 channels" → "mono"),
                // where ffprobe, and the file, name none.
                arguments.AddRange(["-guess_layout_max", "0", "-i", AsInput(paths[index])]);
            }

            var run = await ToolProcess.RunAsync("ffmpeg", arguments, FileTimeout + TimeSpan.FromSeconds(pending.Length), cancellationToken);
            var described = FfmpegInputDump.Parse(run.Error);
            if (!run.Error.Contains("At least one output file must be specified", StringComparison.Ordinal) && described.Count > 0)
            {
                // Killed or crashed: the last description may be cut short, so that file goes to ffprobe.
                described = [.. described.Take(described.Count - 1)];
            }

            var done = Math.Min(described.Count, pending.Length);
            for (var k = 0; k < done; k++)
            {
                var path = paths[pending.Span[k]];
                outcomes[pending.Span[k]] = described[k] is { } info && info.AudioTracks.All(t => t.Channels > 0)
                    ? new ProbeOutcome(path, info, null)
                    : await ProbeOneAsync(path, cancellationToken);
            }

            if (done < pending.Length)
            {
                // FFmpeg stopped at this input (or ran out of time on it): ffprobe says why, then the rest go on.
                outcomes[pending.Span[done]] = await ProbeOneAsync(paths[pending.Span[done]], cancellationToken);
                done++;
            }

            pending = pending[done..];
        }
    }

    /// <summary>ffprobe's JSON for one file, or the reason it cannot be read.</summary>
    private async Task<ProbeOutcome> ProbeOneAsync(string path, CancellationToken cancellationToken)
    {
        if (IsEmpty(path))
        {
            return new ProbeOutcome(path, null, "The file is empty (0 bytes): copy it in again, or remove it.");
        }

        Interlocked.Increment(ref _singleFileRuns);
        var run = await ToolProcess.RunAsync(
            "ffprobe",
            ["-hide_banner", "-v", "warning", "-print_format", "json", "-show_format", "-show_streams", AsInput(path)],
            FileTimeout,
            cancellationToken);
        if (run.TimedOut)
        {
            return new ProbeOutcome(path, null, $"FFmpeg did not finish reading it within {FileTimeout.TotalSeconds:F0} s: check that it is a regular file on a reachable disk.");
        }

        var messages = Messages(run.Error, path);
        var lowScore = messages.Any(m => m.Text.Contains("detected only with low score", StringComparison.Ordinal));
        // The demuxer's own words ("moov atom not found") say more than the tool's summary ("Invalid data found ...").
        var meaningful = messages.Where(m => !m.Text.Contains("detected only with low score", StringComparison.Ordinal)).ToList();
        var last = meaningful.LastOrDefault(m => m.FromComponent).Text ?? meaningful.LastOrDefault().Text;
        var said = last is null ? "" : $" FFmpeg: {last}";
        if (run.ExitCode != 0)
        {
            if (last is "Permission denied" or "No such file or directory" or "Input/output error" or "Is a directory")
            {
                return new ProbeOutcome(path, null, $"The file cannot be opened for reading: check that it still exists and that the pipeline may read it.{said}");
            }

            // A demuxer that recognised the content complains in its own name; nothing recognised it, or only by the name's extension, when not.
            var recognised = !lowScore && messages.Any(m => m.FromComponent);
            return new ProbeOutcome(path, null, recognised
                ? $"The container is damaged or incomplete, so FFmpeg cannot open it: copy the file again from its source.{said}"
                : $"It is not a media file FFmpeg recognises (or its beginning is damaged): check that it is audio or video.{said}");
        }

        MediaInfo info;
        try
        {
            info = FromJson(run.Output);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return new ProbeOutcome(path, null, $"ffprobe's description of it could not be read ({ex.Message}).{said}");
        }

        if (info.AudioTracks.Count > 0 && info.AudioTracks.All(t => t.Channels == 0))
        {
            return new ProbeOutcome(path, null, lowScore
                ? $"It is not a media file FFmpeg recognises (its audio cannot be read): check that it is audio or video.{said}"
                : $"The audio in it cannot be read (the container is damaged or its codec is unsupported): copy the file again from its source.{said}");
        }

        return new ProbeOutcome(path, info, null);
    }

    private static MediaInfo FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.GetProperty("format");
        var audio = new List<AudioTrack>();
        var hasVideo = false;
        foreach (var stream in root.TryGetProperty("streams", out var streams) ? streams.EnumerateArray() : default)
        {
            var type = String(stream, "codec_type");
            var disposition = stream.TryGetProperty("disposition", out var d) ? d : default;
            if (type == "video")
            {
                hasVideo |= Flag(disposition, "attached_pic") != true;
            }
            else if (type == "audio")
            {
                var language = stream.TryGetProperty("tags", out var tags) ? String(tags, "language") : null;
                audio.Add(new AudioTrack(
                    audio.Count,
                    string.IsNullOrEmpty(language) || language == "und" ? null : language,
                    Flag(disposition, "default") == true,
                    stream.TryGetProperty("channels", out var channels) ? channels.GetInt32() : 0,
                    String(stream, "channel_layout") is { Length: > 0 } layout ? layout : null,
                    String(stream, "codec_name"),
                    Number(stream, "start_time") ?? 0));
            }
        }

        var duration = Number(format, "duration");
        return new MediaInfo
        {
            Format = String(format, "format_name"),
            DurationSeconds = duration > 0 ? duration : null,
            HasVideo = hasVideo,
            AudioTracks = audio,
        };

        static string? String(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        static double? Number(JsonElement e, string name) =>
            String(e, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

        static bool? Flag(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() != 0 : null;
    }

    /// <summary>FFmpeg's messages without the component prefix, the file name and hints; whether a component (a demuxer, a decoder) said it.</summary>
    private static List<(string Text, bool FromComponent)> Messages(string stderr, string path)
    {
        var input = AsInput(path) + ": ";
        return [.. stderr.Split('\n')
            .Select(l => l.Trim())
            .Select(l => (Text: ComponentPrefix().Replace(l, ""), FromComponent: ComponentPrefix().IsMatch(l)))
            .Select(m => m.Text.StartsWith(input, StringComparison.Ordinal) ? (m.Text[input.Length..], m.FromComponent) : m)
            .Where(m => m.Item1.Length > 0 && !m.Item1.StartsWith("Consider increasing", StringComparison.Ordinal))];
    }

    private static bool IsEmpty(string path)
    {
        try
        {
            return new FileInfo(path).Length == 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The <c>file:</c> protocol names the file literally: without it FFmpeg reads <c>part1:intro.mp3</c> as
    /// protocol <c>part1</c>, and a name starting with <c>-</c> could look like an option.
    /// </summary>
    private static string AsInput(string path) => "file:" + Path.GetFullPath(path);
}
