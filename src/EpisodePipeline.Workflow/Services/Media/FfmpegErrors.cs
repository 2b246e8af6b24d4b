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

    // "[SWR @ 0x55af837790c0] " and "[auto_aresample_0 @ 0x...] " name FFmpeg's internals, not the problem.
    [GeneratedRegex(@"^(\[[^\]]*\]\s*)+")]
    private static partial Regex ComponentPrefix();

    /// <summary>
    /// The last line of <paramref name="stderr"/> that names a problem, without FFmpeg's component prefixes;
    /// null when there is none (only banner, configuration and generic "failed" lines).
    /// </summary>
    public static string? LastMeaningfulLine(string? stderr)
    {
        if (string.IsNullOrWhiteSpace(stderr))
        {
            return null;
        }

        var lines = stderr.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = ComponentPrefix().Replace(lines[i], "").Trim();
            if (line.Length > 0 && !NoisePrefixes.Any(p => line.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                return line;
            }
        }

        return null;
    }
}
