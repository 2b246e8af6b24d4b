using System.Globalization;
using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// Reads what <c>ffmpeg -v level+trace -guess_layout_max 0 -i a -guess_layout_max 0 -i b …</c> (no output) prints about each input: the
/// <c>Input #N</c> block (format, duration, one line per stream) and, just before it, libavformat's trace
/// of stream start times and durations. Anything it does not fully understand gives null for that input,
/// so the caller asks ffprobe instead: a result from here is never a guess.
/// </summary>
internal static partial class FfmpegInputDump
{
    // FFmpeg's named channel layouts (libavutil channel_layout_map) and their channel counts.
    private static readonly Dictionary<string, int> NamedLayouts = new(StringComparer.Ordinal)
    {
        ["mono"] = 1, ["stereo"] = 2, ["2.1"] = 3, ["3.0"] = 3, ["3.0(back)"] = 3, ["4.0"] = 4, ["quad"] = 4,
        ["quad(side)"] = 4, ["3.1"] = 4, ["5.0"] = 5, ["5.0(side)"] = 5, ["4.1"] = 5, ["5.1"] = 6, ["5.1(side)"] = 6,
        ["6.0"] = 6, ["6.0(front)"] = 6, ["3.1.2"] = 6, ["hexagonal"] = 6, ["6.1"] = 7, ["6.1(back)"] = 7,
        ["6.1(front)"] = 7, ["7.0"] = 7, ["7.0(front)"] = 7, ["7.1"] = 8, ["7.1(wide)"] = 8, ["7.1(wide-side)"] = 8,
        ["5.1.2"] = 8, ["7.1(top)"] = 8, ["octagonal"] = 8, ["cube"] = 8, ["5.1.4"] = 10, ["7.1.2"] = 10,
        ["7.1.4"] = 12, ["7.2.3"] = 12, ["9.1.4"] = 14, ["9.1.6"] = 16, ["hexadecagonal"] = 16, ["downmix"] = 2,
        ["binaural"] = 2, ["22.2"] = 24,
    };

    [GeneratedRegex(@"^\[info\] Input #(?<n>\d+), (?<format>.+?), from '")]
    private static partial Regex InputHeader();

    [GeneratedRegex(@"^\[info\]   Duration: (?:(?<h>\d+):(?<m>\d\d):(?<s>\d\d)\.(?<cs>\d\d)|N/A)")]
    private static partial Regex DurationLine();

    [GeneratedRegex(@"^\[info\]   Stream #(?<n>\d+):(?<i>\d+)(?:\[0x[0-9a-fA-F]+\])?(?:\((?<lang>[^()]*)\))?(?:, -?\d+, \d+/\d+)?: (?<type>[A-Za-z]+): (?<rest>.*)$")]
    private static partial Regex StreamLine();

    [GeneratedRegex(@"^\[[^\]]+ @ 0x[0-9a-fA-F]+\] \[trace\] stream (?<i>\d+): start_time: (?<start>\S+) duration: \S+$")]
    private static partial Regex StreamTiming();

    [GeneratedRegex(@"^\[[^\]]+ @ 0x[0-9a-fA-F]+\] \[trace\] format: start_time: \S+ duration: (?<duration>\S+) ")]
    private static partial Regex FormatTiming();

    [GeneratedRegex(@"^\[warning\] Guessed Channel Layout for Input Stream #(?<n>\d+)\.(?<i>\d+) : ")]
    private static partial Regex GuessedLayout();

    [GeneratedRegex(@"^(?<n>\d+) channels(?: \(.+\))?$")]
    private static partial Regex CountedLayout();

    [GeneratedRegex(@"^\d+ Hz$")]
    private static partial Regex SampleRate();

    /// <summary>One entry per input FFmpeg described, in order: the facts, or null where only ffprobe can say.</summary>
    public static IReadOnlyList<MediaInfo?> Parse(string stderr)
    {
        var results = new List<MediaInfo?>();
        var starts = new Dictionary<int, double>();
        double? tracedDuration = null;
        var guessed = new HashSet<(int Input, int Stream)>();
        Section? section = null;

        foreach (var line in stderr.Split('\n'))
        {
            if (StreamTiming().Match(line) is { Success: true } timing)
            {
                Close();
                var start = timing.Groups["start"].Value;
                starts[int.Parse(timing.Groups["i"].Value, CultureInfo.InvariantCulture)] =
                    start == "NOPTS" ? 0 : double.Parse(start, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (FormatTiming().Match(line) is { Success: true } format)
            {
                Close();
                var value = format.Groups["duration"].Value;
                tracedDuration = value == "NOPTS" ? null : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (GuessedLayout().Match(line) is { Success: true } guess)
            {
                guessed.Add((int.Parse(guess.Groups["n"].Value, CultureInfo.InvariantCulture), int.Parse(guess.Groups["i"].Value, CultureInfo.InvariantCulture)));
            }
            else if (InputHeader().Match(line) is { Success: true } header)
            {
                Close();
                var number = int.Parse(header.Groups["n"].Value, CultureInfo.InvariantCulture);
                section = new Section(number, header.Groups["format"].Value, starts, tracedDuration);
                starts = [];
                tracedDuration = null;
                // Inputs are described in order; a number out of place means the text is not what it seems.
                section.Understood = number == results.Count;
            }
            else if (section is not null && DurationLine().Match(line) is { Success: true } duration)
            {
                section.SawDuration = true;
                if (duration.Groups["h"].Success)
                {
                    section.DumpedDuration =
                        (int.Parse(duration.Groups["h"].Value, CultureInfo.InvariantCulture) * 3600) +
                        (int.Parse(duration.Groups["m"].Value, CultureInfo.InvariantCulture) * 60) +
                        int.Parse(duration.Groups["s"].Value, CultureInfo.InvariantCulture) +
                        (int.Parse(duration.Groups["cs"].Value, CultureInfo.InvariantCulture) / 100.0);
                }
            }
            else if (section is not null && StreamLine().Match(line) is { Success: true } stream)
            {
                section.AddStream(stream, guessed);
            }
        }

        Close();
        return results;

        void Close()
        {
            if (section is not null)
            {
                results.Add(section.ToMediaInfo());
                section = null;
            }
        }
    }

    private sealed class Section(int number, string format, Dictionary<int, double> starts, double? tracedDuration)
    {
        private readonly List<AudioTrack> _audio = [];
        private bool _hasVideo;
        private int _streams;

        public bool Understood { get; set; }

        public bool SawDuration { get; set; }

        public double? DumpedDuration { get; set; }

        public void AddStream(Match stream, HashSet<(int Input, int Stream)> guessed)
        {
            var index = int.Parse(stream.Groups["i"].Value, CultureInfo.InvariantCulture);
            if (int.Parse(stream.Groups["n"].Value, CultureInfo.InvariantCulture) != number || index != _streams)
            {
                Understood = false;
                return;
            }

            _streams++;
            var rest = stream.Groups["rest"].Value;
            var dispositions = Dispositions(rest);
            rest = rest[..^dispositions.Length];
            switch (stream.Groups["type"].Value)
            {
                case "Video":
                    // Cover art in an audio file is a video stream marked attached_pic; it is not a picture to show.
                    _hasVideo |= !dispositions.Contains("(attached pic)", StringComparison.Ordinal);
                    break;
                case "Audio":
                    AddAudio(index, stream.Groups["lang"], rest, dispositions, guessed.Contains((number, index)));
                    break;
            }
        }

        private void AddAudio(int index, Group lang, string rest, string dispositions, bool layoutGuessed)
        {
            var parts = rest.Split(", ");
            var codec = parts[0].Split(' ')[0];
            var rate = Array.FindIndex(parts, p => SampleRate().IsMatch(p));
            if (codec is "none" or "" || rate < 0 || rate + 1 >= parts.Length || !starts.TryGetValue(index, out var start))
            {
                Understood = false;
                return;
            }

            var layout = parts[rate + 1];
            int channels;
            if (CountedLayout().Match(layout) is { Success: true } counted)
            {
                channels = int.Parse(counted.Groups["n"].Value, CultureInfo.InvariantCulture);
                // "12 channels" is FFmpeg's description of a count without a layout; ffprobe then names none.
                layout = layout.Contains('(', StringComparison.Ordinal) ? layout : null;
            }
            else if (!NamedLayouts.TryGetValue(layout, out channels))
            {
                Understood = false;
                return;
            }

            var language = lang.Success ? lang.Value : null;
            _audio.Add(new AudioTrack(
                _audio.Count,
                string.IsNullOrEmpty(language) || language == "und" ? null : language,
                dispositions.StartsWith(" (default)", StringComparison.Ordinal),
                channels,
                // Guessing is switched off (-guess_layout_max 0); should a build guess anyway, ffprobe names no layout.
                layoutGuessed ? null : layout,
                codec,
                start));
        }

        /// <summary>The trailing " (default) (forced) …" flags of a stream line; "(default)" is always printed first.</summary>
        private static string Dispositions(string rest)
        {
            var known = new[]
            {
                " (default)", " (dub)", " (original)", " (comment)", " (lyrics)", " (karaoke)", " (forced)",
                " (hearing impaired)", " (visual impaired)", " (clean effects)", " (attached pic)",
                " (timed thumbnails)", " (captions)", " (descriptions)", " (metadata)", " (dependent)",
                " (still image)", " (non-diegetic)",
            };
            var end = rest.Length;
            var found = true;
            while (found)
            {
                found = false;
                foreach (var flag in known)
                {
                    if (end >= flag.Length && string.CompareOrdinal(rest, end - flag.Length, flag, 0, flag.Length) == 0)
                    {
                        end -= flag.Length;
                        found = true;
                    }
                }
            }

            return rest[end..];
        }

        public MediaInfo? ToMediaInfo()
        {
            if (!Understood || !SawDuration)
            {
                return null;
            }

            // The trace prints 6 significant digits, the dump centiseconds: take whichever is finer.
            var duration = tracedDuration is { } traced && (traced < 10_000 || DumpedDuration is null) ? traced : DumpedDuration;
            return new MediaInfo
            {
                Format = format,
                DurationSeconds = duration > 0 ? duration : null,
                HasVideo = _hasVideo,
                AudioTracks = [.. _audio],
            };
        }
    }
}
