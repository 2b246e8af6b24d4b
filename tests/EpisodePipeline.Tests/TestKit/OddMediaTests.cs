using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using EpisodePipeline.TestKit;
using Xunit;
using Xunit.Abstractions;

// Not EpisodePipeline.Tests.TestKit, which would shadow the TestKit project's namespace wherever a test writes TestKit.X.
namespace EpisodePipeline.Tests.TestKitChecks;

/// <summary>The odd media really are what their docs say, checked with ffprobe and ffmpeg run as processes.</summary>
public sealed partial class OddMediaTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // The arguments the pipeline's extraction gave ffmpeg before FfmpegAudioExtractor (the failure this kind reproduces).
    private static readonly string[] ExtractArguments = ["-c:a", "pcm_s16le", "-ar", "16000", "-vn", "-ac", "1", "-map_metadata", "-1"];

    private readonly CancellationTokenSource _timeout = new(Timeout);
    private readonly string _folder = Directory.CreateTempSubdirectory("oddmedia-test-").FullName;

    private CancellationToken Token => _timeout.Token;

    public static TheoryData<string, string> Formats => new()
    {
        { ".opus", "opus" }, { ".m4b", "aac" }, { ".aac", "aac" }, { ".oga", "vorbis" }, { ".wma", "wmav2" }, { ".ogg", "vorbis" },
        { ".flac", "flac" }, { ".m4a", "aac" }, { ".webm", "opus" }, { ".mka", "opus" }, { ".wav", "pcm_s16le" }, { ".mp3", "mp3" }, { ".MP3", "mp3" },
    };

    [Fact]
    public async Task VideoWithoutAudio_HasOneVideoStreamAndNothingToExtract()
    {
        var path = await OddMedia.VideoWithoutAudioAsync(4, Token);

        using var probe = await ProbeAsync(path);
        var extract = await ExtractAsync(path);

        Assert.Equal(["video"], Streams(probe).Select(s => s.GetProperty("codec_type").GetString()));
        Assert.Equal(4, FormatDuration(probe), 1);
        Assert.NotEqual(0, extract.ExitCode);
        Assert.Contains("does not contain any stream", extract.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoLanguageVideo_HasGermanDefaultTrackOf6sThenEnglishTrackOf9s()
    {
        var path = await OddMedia.TwoLanguageVideoAsync(Token);

        using var probe = await ProbeAsync(path);
        var audio = Streams(probe).Where(s => s.GetProperty("codec_type").GetString() == "audio").ToList();

        Assert.Equal(2, audio.Count);
        Assert.Contains(audio[0].GetProperty("tags").GetProperty("language").GetString(), new[] { "ger", "deu" });
        Assert.Equal(1, audio[0].GetProperty("disposition").GetProperty("default").GetInt32());
        Assert.Equal("eng", audio[1].GetProperty("tags").GetProperty("language").GetString());
        Assert.Equal(0, audio[1].GetProperty("disposition").GetProperty("default").GetInt32());
        Assert.Equal(6, await DecodedSecondsAsync(path, "0:a:0"), 0.2);
        Assert.Equal(9, await DecodedSecondsAsync(path, "0:a:1"), 0.2);
        Assert.Equal(6, await DecodedSecondsAsync(path), 0.2);
    }

    [Fact]
    public async Task TwelveChannels_HaveNoLayoutAndFailToDownmixToMono()
    {
        var path = await OddMedia.TwelveChannelsWithoutLayoutAsync(cancellationToken: Token);

        using var probe = await ProbeAsync(path);
        var stream = Streams(probe).Single();
        var downmix = await OddMedia.RunToolAsync("ffmpeg", ["-nostdin", "-hide_banner", "-y", "-i", path, "-ac", "1", Path.Combine(_folder, "out.wav")], Token);
        output.WriteLine(downmix.Error);
        var firstChannel = await DecodedSecondsAsync(path, filter: "pan=mono|c0=c0");

        Assert.Equal(12, stream.GetProperty("channels").GetInt32());
        Assert.True(!stream.TryGetProperty("channel_layout", out var layout) || layout.GetString() is "" or "unknown", $"layout {layout}");
        Assert.NotEqual(0, downmix.ExitCode);
        Assert.Contains("Rematrix is needed between 12 channels and mono", downmix.Error, StringComparison.Ordinal);
        Assert.InRange(firstChannel, 2.5, 5);
    }

    [Fact]
    public async Task Surround_Is51AndDownmixesToMono()
    {
        var path = await OddMedia.SurroundWavAsync(Token);

        using var probe = await ProbeAsync(path);
        var stream = Streams(probe).Single();

        Assert.Equal(6, stream.GetProperty("channels").GetInt32());
        Assert.Equal("5.1", stream.GetProperty("channel_layout").GetString());
        Assert.InRange(await DecodedSecondsAsync(path), 2.5, 5);
    }

    [Fact]
    public async Task LateAudio_StartsFiveSecondsAfterTheVideo()
    {
        var path = await OddMedia.LateAudioVideoAsync(5, Token);

        using var probe = await ProbeAsync(path);
        var streams = Streams(probe).ToDictionary(s => s.GetProperty("codec_type").GetString()!);
        output.WriteLine($"video start {streams["video"].GetProperty("start_time")}, audio start {streams["audio"].GetProperty("start_time")}");

        Assert.Equal(0, Seconds(streams["video"].GetProperty("start_time")), 0.05);
        Assert.Equal(5, Seconds(streams["audio"].GetProperty("start_time")), 0.05);
        Assert.Equal(11, FormatDuration(probe), 0.1);
        Assert.InRange(await DecodedSecondsAsync(path), 2.5, 5);
    }

    [Fact]
    public async Task SilenceThenSpeech_SpeechStartsAfter236Seconds()
    {
        var path = await OddMedia.SilenceThenSpeechAsync(cancellationToken: Token);

        using var probe = await ProbeAsync(path);
        var silences = await SilencesAsync(path);

        Assert.Equal(243.3, FormatDuration(probe), 0.3);
        var (start, end) = Assert.Single(silences, s => s.End - s.Start > 10);
        Assert.Equal(0, start, 0.1);
        Assert.Equal(236, end, 0.3);
    }

    [Fact]
    public async Task SilenceThenSpeech_AsWav_HasTheSameShape()
    {
        var path = await OddMedia.SilenceThenSpeechAsync(30, "Short words at the end.", ".wav", Token);

        var silences = await SilencesAsync(path);

        Assert.Equal(30, Assert.Single(silences, s => s.End - s.Start > 10).End, 0.1);
    }

    [Fact]
    public async Task SpeechSilenceSpeech_HasOneLongSilenceBetweenTwoSpeeches()
    {
        var path = await OddMedia.SpeechSilenceSpeechAsync(120, cancellationToken: Token);

        using var probe = await ProbeAsync(path);
        var (start, end) = Assert.Single(await SilencesAsync(path), s => s.End - s.Start > 10);

        Assert.InRange(start, 3, 5);
        Assert.InRange(end - start, 120, 121);
        Assert.InRange(FormatDuration(probe) - end, 6, 8.5);
    }

    [Fact]
    public async Task AwkwardNames_AreWrittenAndReadableByFfprobe()
    {
        var clip = await OddMedia.SpeechInFormatAsync(".mp3", Token);

        var paths = OddMedia.AwkwardNames.Select(name => OddMedia.CopyAs(clip, _folder, name)).ToList();

        Assert.Equal(OddMedia.AwkwardNames.Count, OddMedia.AwkwardNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(paths.Order(StringComparer.Ordinal), Directory.GetFiles(_folder).Order(StringComparer.Ordinal));
        Assert.Contains(OddMedia.AwkwardNames, n => n.StartsWith('-'));
        foreach (var path in paths)
        {
            var probe = await OddMedia.RunToolAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", "-i", path], Token);
            Assert.True(probe.ExitCode == 0, $"{path}: {probe.Error}");
        }
    }

    [Theory]
    [InlineData(".mp3")]
    [InlineData(".mp4")]
    [InlineData(".wav")]
    public async Task EmptyFile_IsZeroBytesAndFailsToProbe(string extension)
    {
        var path = await OddMedia.EmptyFileAsync(extension, Token);

        var probe = await ProbeFailureAsync(path);

        Assert.Equal(0, new FileInfo(path).Length);
        Assert.NotEqual(0, probe.ExitCode);
    }

    [Theory]
    [InlineData(".mp3")]
    [InlineData(".mp4")]
    public async Task NotMedia_FailsToProbe(string extension)
    {
        var path = await OddMedia.NotMediaAsync(extension, Token);

        var probe = await ProbeFailureAsync(path);

        Assert.NotEqual(0, probe.ExitCode);
    }

    [Fact]
    public async Task TruncatedMp3_ClaimsTwentySecondsButDecodesTen()
    {
        var path = await OddMedia.TruncatedMp3Async(Token);

        using var probe = await ProbeAsync(path);
        var declared = FormatDuration(probe);
        var decode = await OddMedia.RunToolAsync("ffmpeg", ["-nostdin", "-hide_banner", "-i", path, "-f", "null", "-"], Token);
        output.WriteLine(decode.Error);
        var decoded = await DecodedSecondsAsync(path);
        output.WriteLine($"declared {declared} s, decoded {decoded} s");

        Assert.Equal(20, declared, 0.2);
        Assert.Equal(10, decoded, 0.3);
        Assert.Equal(0, decode.ExitCode);
    }

    [Fact]
    public async Task DamagedMp4s_FailToProbeWithoutAMoovAtom()
    {
        var zeroed = await OddMedia.Mp4WithZeroedHeaderAsync(Token);
        var cut = await OddMedia.Mp4WithoutMoovAsync(Token);

        var zeroedProbe = await ProbeFailureAsync(zeroed);
        var cutProbe = await ProbeFailureAsync(cut);

        Assert.NotEqual(0, zeroedProbe.ExitCode);
        Assert.Contains("moov atom not found", zeroedProbe.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, cutProbe.ExitCode);
        Assert.Contains("moov atom not found", cutProbe.Error, StringComparison.Ordinal);
        Assert.True(new FileInfo(cut).Length > 50_000, "the samples are still there");
    }

    [Theory]
    [InlineData(".mp4")]
    [InlineData(".mkv")]
    [InlineData(".wav")]
    public async Task RandomBytes_FailToProbe(string extension)
    {
        var path = await OddMedia.RandomBytesAsync(extension, cancellationToken: Token);

        var probe = await ProbeFailureAsync(path);

        Assert.Equal(1 << 20, new FileInfo(path).Length);
        Assert.NotEqual(0, probe.ExitCode);
    }

    [Fact]
    public async Task RandomBytesNamedMp3_ProbeAsAStreamWithoutChannelsAndFailToExtract()
    {
        var path = await OddMedia.RandomBytesAsync(".mp3", cancellationToken: Token);

        var probe = await OddMedia.RunToolAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", path], Token);
        var extract = await ExtractAsync(path);
        output.WriteLine($"ffprobe exit {probe.ExitCode}: {probe.Output}\n{probe.Error}");

        if (probe.ExitCode == 0)
        {
            using var json = JsonDocument.Parse(probe.Output);
            Assert.All(Streams(json), s => Assert.Equal(0, s.GetProperty("channels").GetInt32()));
        }

        Assert.NotEqual(0, extract.ExitCode);
    }

    [Fact]
    public async Task SlowCopy_GrowsUnderItsFinalNameThenIsWhole()
    {
        var source = await OddMedia.SpeechInFormatAsync(".wav", Token);
        var destination = Path.Combine(_folder, "incoming", "episode.wav");

        var copy = OddMedia.SlowCopyAsync(source, destination, TimeSpan.FromSeconds(2), chunks: 8, Token);
        await Task.Delay(TimeSpan.FromSeconds(0.6), Token);
        var partial = new FileInfo(destination).Length;
        await copy.WaitAsync(Token);

        Assert.InRange(partial, 1, new FileInfo(source).Length - 1);
        Assert.Equal(await File.ReadAllBytesAsync(source, Token), await File.ReadAllBytesAsync(destination, Token));
    }

    [Fact]
    public async Task SymlinkLayout_HasTwoLoopsAFileLinkAndADanglingLink()
    {
        var clip = await OddMedia.SpeechInFormatAsync(".mp3", Token);

        var layout = OddMedia.MakeSymlinkLayout(_folder, clip);

        Assert.Equal(Path.GetFullPath(_folder), new DirectoryInfo(layout.LoopToRoot).ResolveLinkTarget(returnFinalTarget: true)!.FullName.TrimEnd('/'));
        Assert.Equal(Path.Combine(_folder, "real"), new DirectoryInfo(layout.LoopToSelf).ResolveLinkTarget(returnFinalTarget: true)!.FullName.TrimEnd('/'));
        Assert.True(File.Exists(Path.Combine(layout.LoopToRoot, "real", "loop", "real", "self", "self", "episode.mp3")));
        Assert.Equal(layout.MediaFile, new FileInfo(layout.FileLink).ResolveLinkTarget(returnFinalTarget: true)!.FullName);
        Assert.Equal(await File.ReadAllBytesAsync(clip, Token), await File.ReadAllBytesAsync(layout.FileLink, Token));
        Assert.True(File.Exists(layout.DanglingLink), ".NET says a dangling link exists (it finds the link, not its target)");
        Assert.False(new FileInfo(layout.DanglingLink).ResolveLinkTarget(returnFinalTarget: true)!.Exists);
        Assert.Throws<FileNotFoundException>(() => File.OpenRead(layout.DanglingLink).Dispose());

        // .NET's recursive enumeration follows directory links: bounded here, it would otherwise run until memory
        // runs out (two loops double the paths at each level).
        var followed = Files(new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 3 });
        Assert.Contains("real/self/episode.mp3", followed);
        Assert.Contains("real/loop/real/episode.mp3", followed);
        Assert.Contains("dangling.mp3", followed);
        Assert.Equal(["real/episode.mp3"], Files(new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }));

        List<string> Files(EnumerationOptions options) =>
            [.. Directory.EnumerateFiles(_folder, "*", options).Select(p => Path.GetRelativePath(_folder, p)).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SpeechInFormat_HasItsCodecAndDecodesToTheClip(string extension, string codec)
    {
        var path = await OddMedia.SpeechInFormatAsync(extension, Token);

        using var probe = await ProbeAsync(path);
        var stream = Streams(probe).Single();

        Assert.EndsWith(extension, path, StringComparison.Ordinal);
        Assert.Equal(codec, stream.GetProperty("codec_name").GetString());
        Assert.Equal(4.04, await DecodedSecondsAsync(path), 0.15);
    }

    [Fact]
    public async Task ManyShortFiles_MakesAThousandDistinctOneSecondFiles()
    {
        var plain = await OddMedia.ManyShortFilesAsync(Path.Combine(_folder, "same"), 1000, cancellationToken: Token);
        var distinct = await OddMedia.ManyShortFilesAsync(Path.Combine(_folder, "distinct"), 1000, distinctContent: true, Token);

        Assert.Equal(1000, Directory.GetFiles(Path.Combine(_folder, "same")).Length);
        Assert.Equal("episode-0001.mp3", Path.GetFileName(distinct[0]));
        Assert.Single(plain.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))).Distinct());
        Assert.Equal(1000, distinct.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))).Distinct().Count());
        using var last = await ProbeAsync(distinct[^1]);
        Assert.Equal("Copy 1000", last.RootElement.GetProperty("format").GetProperty("tags").GetProperty("title").GetString());
        Assert.Equal(1, await DecodedSecondsAsync(distinct[^1]), 0.1);
        Assert.Equal(1, await DecodedSecondsAsync(plain[0]), 0.1);
    }

    [Fact]
    public async Task TruncateInPlace_CutsTheSameFileAnOpenReaderSees()
    {
        var path = OddMedia.CopyAs(await OddMedia.SpeechInFormatAsync(".mp3", Token), _folder, "episode.mp3");
        var before = new FileInfo(path).Length;
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        var after = OddMedia.TruncateInPlace(path, 0.5);

        Assert.Equal(before / 2, after);
        Assert.Equal(after, reader.Length);
        Assert.Equal(after, new FileInfo(path).Length);
    }

    [Fact]
    public async Task ReplaceByRename_SwapsContentWhileAnOpenReaderKeepsTheOld()
    {
        var path = OddMedia.CopyAs(await OddMedia.SpeechInFormatAsync(".mp3", Token), _folder, "episode.mp3");
        var replacement = await OddMedia.SpeechInFormatAsync(".wav", Token);
        var before = new FileInfo(path).Length;
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        OddMedia.ReplaceByRename(path, replacement);

        Assert.Equal(before, reader.Length);
        Assert.Equal(new FileInfo(replacement).Length, new FileInfo(path).Length);
        Assert.Single(Directory.GetFiles(_folder));
    }

    public void Dispose()
    {
        _timeout.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static JsonElement.ArrayEnumerator Streams(JsonDocument probe) => probe.RootElement.GetProperty("streams").EnumerateArray();

    private static double FormatDuration(JsonDocument probe) => Seconds(probe.RootElement.GetProperty("format").GetProperty("duration"));

    private static double Seconds(JsonElement value) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private async Task<JsonDocument> ProbeAsync(string path)
    {
        var probe = await OddMedia.RunToolAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", path], Token);
        Assert.True(probe.ExitCode == 0, $"ffprobe {path}: {probe.Error}");
        return JsonDocument.Parse(probe.Output);
    }

    /// <summary>ffprobe as FFMpegCore runs it, for a file that should fail; what it says goes to the test output.</summary>
    private async Task<ToolRun> ProbeFailureAsync(string path)
    {
        var probe = await OddMedia.RunToolAsync("ffprobe", ["-loglevel", "error", "-print_format", "json", "-show_format", "-sexagesimal", "-show_streams", "-i", path], Token);
        output.WriteLine($"ffprobe {Path.GetFileName(path)} exit {probe.ExitCode}: {probe.Error}");
        var extract = await ExtractAsync(path);
        output.WriteLine($"ffmpeg {Path.GetFileName(path)} exit {extract.ExitCode}: {extract.Error}");
        return probe;
    }

    private async Task<ToolRun> ExtractAsync(string path) =>
        await OddMedia.RunToolAsync("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", path, .. ExtractArguments, Path.Combine(_folder, $"{Guid.NewGuid():N}.wav")], Token);

    /// <summary>Seconds of 16 kHz mono audio the file decodes to (optionally one mapped stream, or through a filter instead of -ac 1).</summary>
    private async Task<double> DecodedSecondsAsync(string path, string? map = null, string? filter = null)
    {
        var raw = Path.Combine(_folder, $"{Guid.NewGuid():N}.raw");
        string[] select = map is null ? [] : ["-map", map];
        string[] mix = filter is null ? ["-ac", "1"] : ["-af", filter];
        var run = await OddMedia.RunToolAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", path, .. select, "-vn", .. mix, "-ar", "16000", "-f", "s16le", raw], Token);
        Assert.True(run.ExitCode == 0, $"decoding {path}: {run.Error}");
        var seconds = new FileInfo(raw).Length / 32000.0;
        File.Delete(raw);
        return seconds;
    }

    private async Task<List<(double Start, double End)>> SilencesAsync(string path)
    {
        var run = await OddMedia.RunToolAsync("ffmpeg", ["-nostdin", "-hide_banner", "-i", path, "-af", "silencedetect=noise=-60dB:d=2", "-f", "null", "-"], Token);
        Assert.True(run.ExitCode == 0, run.Error);
        var starts = SilenceStart().Matches(run.Error).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var ends = SilenceEnd().Matches(run.Error).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        output.WriteLine($"silence starts [{string.Join(", ", starts)}], ends [{string.Join(", ", ends)}]");
        return [.. starts.Zip(ends)];
    }

    [GeneratedRegex(@"silence_start: (-?[\d.]+)")]
    private static partial Regex SilenceStart();

    [GeneratedRegex(@"silence_end: (-?[\d.]+)")]
    private static partial Regex SilenceEnd();
}
