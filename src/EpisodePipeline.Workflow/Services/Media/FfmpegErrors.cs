using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Media;

/// <summary>Finds the line of FFmpeg's standard error that says what went wrong.</summary>
public static partial class FfmpegErrors
{
    // Lines FFmpeg prints on every run (banner, build configuration, library versions, stream listings,
    // progress) or after every failure ("Conversion failed!"): none of them says what went wrong.
    private static readonly string[] NoisePrefixes =
    [
        "ffmpeg version", "ffprobe version", "built with", "configuration:", "libavutil", "libavcodec", "libavformat",
        "libavdevice", "libavfilter", "libswscale", "libswresample", "libpostproc", "Input #", "Output #", "Stream #",
        "Stream mapping", "Duration:", "Metadata:", "Press [q]", "size=", "frame=", "video:", "Conversion failed",
        "Exiting normally", "Error reinitializing filters", "Failed to configure output pad", "Failed to inject frame",
        "Error while processing the decoded data", "Error while filtering", "Finishing stream", "Nothing was written",
        "Error opening output file", "Error opening output files", "Error initializing output stream",
        "Error while opening encoder", "Error configuring filter graph", "Error configuring filters", "Error opening input files",
    ];

    // What FFmpeg says about the input after a more specific line ("moov atom not found", "Failed to read frame size").
    private static readonly string[] ErrnoOnly = ["Invalid argument", "Invalid data found when processing input", "End of file"];

    // "[SWR @ 0x55af837790c0] " and "[auto_aresample_0 @ 0x...] " name FFmpeg's internals, not the problem.
    [GeneratedRegex(@"^(\[[^\]]*\]\s*)+")]
    private static partial Regex ComponentPrefix();

    /// <summary>
    /// The last line of <paramref name="stderr"/> that names a problem, without FFmpeg's component prefixes
    /// and without <paramref name="input"/> (the URL FFmpeg was given, which the caller's sentence names
    /// already); null when there is none (only banner, configuration and generic "failed" lines). A bare
    /// "Invalid argument" gives way to the more specific line before it.
    /// </summary>
    public static string? LastMeaningfulLine(string? stderr, string? input = null)
    {
        if (string.IsNullOrWhiteSpace(stderr))
        {
            return null;
        }

        string? errnoOnly = null;
        var lines = stderr.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = ComponentPrefix().Replace(lines[i], "").Trim();
            if (!string.IsNullOrEmpty(input))
            {
                line = line.Replace(input + ": ", "", StringComparison.Ordinal).Trim();
            }

            if (line.Length == 0 || NoisePrefixes.Any(p => line.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (ErrnoOnly.Any(e => line.Equals(e, StringComparison.OrdinalIgnoreCase)))
            {
                errnoOnly ??= line;
                continue;
            }

            return line;
        }

        return errnoOnly;
    }
}
