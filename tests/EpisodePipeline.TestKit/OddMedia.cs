using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EpisodePipeline.TestKit;

/// <summary>
/// The media users really drop into a media folder, made here with FFmpeg, espeak-ng and sox (never
/// downloaded): video without sound, two-language MKVs, 12-channel WAVs without a channel layout,
/// audio that starts late, long silences, awkward file names, broken and half-copied files,
/// symbolic-link loops, every common container, and libraries of a thousand files.
/// </summary>
/// <remarks>
/// Makers that return a path hand out a cached, shared file (made once per content, as
/// <see cref="TestMedia"/> does): copy it before changing it. Makers that need a file name or a
/// folder layout take a destination instead. The figures in the docs were measured with Debian's
/// FFmpeg 5.1, espeak-ng 1.51 and sox 14.4; <c>OddMediaTests</c> checks them.
/// </remarks>
public static class OddMedia
{
    // The cache outlives the process; bump this when a maker changes what it writes.
    private const string Prefix = "odd1-";

    private const string EnglishLine = "Hello. This is the English audio track of the episode.";
    private const string GermanLine = "Guten Tag. Dies ist die deutsche Tonspur der Sendung.";
    private const string ClipLine = "This clip was made by the test kit. It has speech in it.";
    private const string BeforePauseLine = "This is the first part of the episode, before the long pause.";
    private const string AfterSilenceLine = "After a long silence, the speaker finally begins. This part of the episode contains the real content.";

    private static readonly string[] Quiet = ["-v", "error", "-nostdin", "-y"];
    private static readonly string[] Video = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

    /// <summary>File names Linux allows that break naive code: quotes, shell characters, a leading dash,
    /// NFC and NFD accents, emoji, spaces at the ends, glob characters, a 250-byte name and an upper-case
    /// extension. All end in <c>.mp3</c> (one in <c>.MP3</c>), no two differ only in case, none contains
    /// <c>/</c>, a newline or NUL. Several (<c>"</c>, <c>\</c>, <c>*</c>, <c>?</c>, trailing space) are not
    /// allowed on Windows.</summary>
    public static IReadOnlyList<string> AwkwardNames { get; } =
    [
        "Ep 1 \"Pilot\".mp3",
        "\u00C9pisode sp\u00E9cial.mp3",
        "Cafe\u0301 cre\u0300me (NFD accents).mp3",
        "It's a podcast.mp3",
        "$HOME and $(whoami) `id`.mp3",
        "back\\slash.mp3",
        "-dash.mp3",
        "100% done %20 %s.mp3",
        "a;b&c|d.mp3",
        "\U0001F399\uFE0F emoji \U0001F600 episode.mp3",
        " leading and trailing space .mp3",
        "[brackets] {braces} (parens).mp3",
        "#hash ~tilde !bang.mp3",
        "*star? glob.mp3",
        "\u65E5\u672C\u8A9E\u306E\u30A8\u30D4\u30BD\u30FC\u30C9.mp3",
        "many.dots.in...name.mp3",
        "UPPER CASE EXTENSION.MP3",
        new string('x', 246) + ".mp3",
    ];

    /// <summary>Extensions <see cref="SpeechInFormatAsync"/> makes: Opus in Ogg (<c>.opus</c>), AAC in MP4
    /// (<c>.m4b</c>, <c>.m4a</c>), raw ADTS AAC (<c>.aac</c>), Vorbis in Ogg (<c>.oga</c>, <c>.ogg</c>), WMA v2 in
    /// ASF (<c>.wma</c>), FLAC, Opus in WebM (<c>.webm</c>) and Matroska (<c>.mka</c>), PCM WAV, and MP3 as
    /// <c>.mp3</c> and upper-case <c>.MP3</c>.</summary>
    public static IReadOnlyList<string> CommonExtensions { get; } =
        [".opus", ".m4b", ".aac", ".oga", ".wma", ".ogg", ".flac", ".m4a", ".webm", ".mka", ".wav", ".mp3", ".MP3"];

    // Extension (exact case) -> muxer and codec arguments. -f is explicit so ".MP3" needs no guessing.
    private static readonly Dictionary<string, string[]> FormatArguments = new(StringComparer.Ordinal)
    {
        [".opus"] = ["-c:a", "libopus", "-b:a", "32k", "-f", "opus"],
        [".m4b"] = ["-c:a", "aac", "-b:a", "48k", "-f", "ipod"],
        [".aac"] = ["-c:a", "aac", "-b:a", "48k", "-f", "adts"],
        [".oga"] = ["-c:a", "libvorbis", "-q:a", "2", "-f", "ogg"],
        [".wma"] = ["-c:a", "wmav2", "-b:a", "64k", "-f", "asf"],
        [".ogg"] = ["-c:a", "libvorbis", "-q:a", "2", "-f", "ogg"],
        [".flac"] = ["-c:a", "flac", "-f", "flac"],
        [".m4a"] = ["-c:a", "aac", "-b:a", "48k", "-f", "ipod"],
        [".webm"] = ["-c:a", "libopus", "-b:a", "32k", "-f", "webm"],
        [".mka"] = ["-c:a", "libopus", "-b:a", "32k", "-f", "matroska"],
        [".wav"] = ["-c:a", "pcm_s16le", "-f", "wav"],
        [".mp3"] = ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"],
        [".MP3"] = ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"],
    };

    /// <summary>An MP4 with one H.264 video stream (160x120, 10 fps, test pattern) of exactly
    /// <paramref name="seconds"/> seconds and NO audio stream, like a silent screen recording. Extracting
    /// audio from it fails: FFmpeg says <c>Output file #0 does not contain any stream</c>.</summary>
    public static Task<string> VideoWithoutAudioAsync(int seconds = 4, CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}no-audio-{seconds}s.mp4", path =>
            FfmpegAsync(
                ["-f", "lavfi", "-i", $"testsrc=size=160x120:rate=10:duration={Invariant(seconds)}",
                 .. Video, "-f", "mp4", path],
                cancellationToken), cancellationToken);

    /// <summary>
    /// An MKV with a 9 s H.264 video stream and TWO mono AAC audio tracks of different content and length:
    /// audio track 0 (stream 1) is German speech, 6 s long, language tag <c>ger</c>, title <c>Deutsch</c>,
    /// default disposition; audio track 1 (stream 2) is English speech, 9 s long, language <c>eng</c>, title
    /// <c>English</c>, not default. Each track repeats its sentence to fill its length, so a test tells which
    /// track was used by the extracted duration (6 s or 9 s) or by the words. FFmpeg without <c>-map</c> picks
    /// the German track; the container duration is 9 s.
    /// </summary>
    public static Task<string> TwoLanguageVideoAsync(CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}two-languages.mkv", async path =>
        {
            var german = await SpeechWavAsync("de", GermanLine, cancellationToken);
            var english = await SpeechWavAsync("en-us", EnglishLine, cancellationToken);
            await FfmpegAsync(
                ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=9",
                 "-stream_loop", "-1", "-i", german, "-stream_loop", "-1", "-i", english,
                 "-filter_complex", "[1:a]atrim=0:6,asetpts=N/SR/TB[de];[2:a]atrim=0:9,asetpts=N/SR/TB[en]",
                 "-map", "0:v", "-map", "[de]", "-map", "[en]",
                 .. Video, "-c:a", "aac", "-b:a", "48k",
                 "-metadata:s:a:0", "language=ger", "-metadata:s:a:0", "title=Deutsch",
                 "-metadata:s:a:1", "language=eng", "-metadata:s:a:1", "title=English",
                 "-disposition:v:0", "default", "-disposition:a:0", "default", "-disposition:a:1", "0",
                 "-f", "matroska", path],
                cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// A 16 kHz 16-bit WAV with 12 channels and NO channel layout (WAVE_FORMAT_EXTENSIBLE, channel mask 0,
    /// written by sox): ffprobe reports <c>channel_layout=unknown</c>. English speech (4.04 s) is on
    /// channel <paramref name="speechChannel"/> (0-based), the other channels are digital silence.
    /// <c>ffmpeg -i f -ac 1 out.wav</c> fails with <c>Rematrix is needed between 12 channels and mono but
    /// there is not enough information to do it</c>.
    /// </summary>
    public static Task<string> TwelveChannelsWithoutLayoutAsync(int speechChannel = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(speechChannel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(speechChannel, 11);
        return TestMedia.MakeOnceAsync($"{Prefix}12ch-no-layout-speech-on-{speechChannel}.wav", async path =>
        {
            var speech = await SpeechWavAsync("en-us", ClipLine, cancellationToken);
            var remix = Enumerable.Range(0, 12).Select(c => c == speechChannel ? "1" : "0");
            await TestMedia.RunAsync("sox", [speech, "-r", "16000", "-b", "16", path, "remix", .. remix], cancellationToken);
        }, cancellationToken);
    }

    /// <summary>A 16 kHz 16-bit WAV with 6 channels and the <c>5.1</c> layout (FL FR FC LFE BL BR): English
    /// speech (4.04 s) on the centre channel, the rest digital silence. Downmixes with <c>-ac 1</c>.</summary>
    public static Task<string> SurroundWavAsync(CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}5.1-speech-centre.wav", async path =>
        {
            var speech = await SpeechWavAsync("en-us", ClipLine, cancellationToken);
            await FfmpegAsync(["-i", speech, "-af", "pan=5.1|FC=c0", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", path], cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// An MP4 whose audio starts <paramref name="audioDelaySeconds"/> seconds after its video: an H.264 video
    /// stream of <c>audioDelaySeconds + 6</c> s starting at 0, and a 48 kHz AAC stream of English speech (4.11 s)
    /// whose <c>start_time</c> is the delay minus AAC priming (4.978 s for 5). A plain extraction
    /// (<c>-vn -ac 1</c>) drops the lead: the WAV is about 4.1 s long and its time 0 is video time 5.
    /// </summary>
    public static Task<string> LateAudioVideoAsync(int audioDelaySeconds = 5, CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}audio-late-{audioDelaySeconds}s.mp4", async path =>
        {
            var speech = await SpeechWavAsync("en-us", EnglishLine, cancellationToken);
            await FfmpegAsync(
                ["-f", "lavfi", "-i", $"testsrc=size=160x120:rate=10:duration={Invariant(audioDelaySeconds + 6)}",
                 "-itsoffset", Invariant(audioDelaySeconds), "-i", speech,
                 "-map", "0:v", "-map", "1:a", .. Video, "-c:a", "aac", "-ar", "48000", "-b:a", "64k", "-f", "mp4", path],
                cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// <paramref name="silenceSeconds"/> seconds of digital silence, then English speech, 16 kHz mono, as
    /// <c>.mp3</c> (32 kb/s) or <c>.wav</c>. The default speech is "After a long silence, the speaker finally
    /// begins. This part of the episode contains the real content." (7.27 s), so the default file is 243.3 s
    /// long with speech from 236 s. Cheap: the 236 s MP3 takes about half a second and is under 1 MB.
    /// </summary>
    public static Task<string> SilenceThenSpeechAsync(int silenceSeconds = 236, string? speech = null, string extension = ".mp3", CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(silenceSeconds);
        var codec = SilenceCodec(extension);
        speech ??= AfterSilenceLine;
        return TestMedia.MakeOnceAsync($"{Prefix}silence-{silenceSeconds}s-then-{Hash(speech)}{extension}", async path =>
        {
            var spoken = await SpeechWavAsync("en-us", speech, cancellationToken);
            await FfmpegAsync(
                ["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-i", spoken,
                 "-filter_complex", $"[0:a]atrim=0:{Invariant(silenceSeconds)}[s];[1:a]aresample=16000[p];[s][p]concat=n=2:v=0:a=1",
                 .. codec, path],
                cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Speech, <paramref name="silenceSeconds"/> seconds of digital silence, speech again; 16 kHz mono
    /// <c>.mp3</c> (32 kb/s) or <c>.wav</c>. First "This is the first part of the episode, before the long
    /// pause." (3.94 s), last "After a long silence, the speaker finally begins. This part of the episode
    /// contains the real content." (7.27 s): with the default 120 s the file is about 131.2 s long and
    /// the silence runs from 3.94 s to 123.94 s (silencedetect at -60 dB sees
    /// 3.69 s to 124.10 s: espeak pads its speech with a little quiet).
    /// </summary>
    public static Task<string> SpeechSilenceSpeechAsync(int silenceSeconds = 120, string extension = ".mp3", CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(silenceSeconds);
        var codec = SilenceCodec(extension);
        return TestMedia.MakeOnceAsync($"{Prefix}speech-silence-{silenceSeconds}s-speech{extension}", async path =>
        {
            var before = await SpeechWavAsync("en-us", BeforePauseLine, cancellationToken);
            var after = await SpeechWavAsync("en-us", AfterSilenceLine, cancellationToken);
            await FfmpegAsync(
                ["-i", before, "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-i", after,
                 "-filter_complex",
                 $"[0:a]aresample=16000[a];[1:a]atrim=0:{Invariant(silenceSeconds)}[s];[2:a]aresample=16000[b];[a][s][b]concat=n=3:v=0:a=1",
                 .. codec, path],
                cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="folder"/> (created if missing) as
    /// <paramref name="fileName"/>, e.g. one of <see cref="AwkwardNames"/>; returns the new path.</summary>
    public static string CopyAs(string source, string folder, string fileName)
    {
        if (fileName.Length == 0 || fileName is "." or ".." || fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{fileName}' is not a file name.", nameof(fileName));
        }

        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, fileName);
        File.Copy(source, target, overwrite: true);
        return target;
    }

    /// <summary>A 0-byte file named <c>*{extension}</c>. ffprobe fails (for <c>.mp3</c>: <c>Failed to read frame
    /// size: Could not seek to 1026.</c> then <c>Invalid argument</c>; for <c>.mp4</c>: <c>moov atom not found</c>
    /// then <c>Invalid data found when processing input</c>).</summary>
    public static Task<string> EmptyFileAsync(string extension = ".mp3", CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}empty{extension}", path => File.WriteAllBytesAsync(path, Array.Empty<byte>(), cancellationToken), cancellationToken);

    /// <summary>A short UTF-8 text file (no media in it) named <c>*{extension}</c>, as if someone renamed notes.txt.
    /// ffprobe fails as for <see cref="EmptyFileAsync"/>.</summary>
    public static Task<string> NotMediaAsync(string extension = ".mp3", CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}not-media{extension}", path =>
            File.WriteAllTextAsync(path, "This is not a media file. These are show notes someone saved with the wrong extension.\n", cancellationToken),
            cancellationToken);

    /// <summary>
    /// A 64 kb/s MP3 of 20 s of English speech cut to its first half by bytes, as an interrupted download. Its
    /// Xing/Info header still claims 20 s: ffprobe reports a format and stream duration of 20.06 s, but it
    /// decodes to about 9.98 s. FFmpeg decodes it with exit code 0, warning <c>filesize and duration do not
    /// match (growing file?)</c> and <c>invalid new backstep -1</c>.
    /// </summary>
    public static Task<string> TruncatedMp3Async(CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}truncated-20s-to-half.mp3", async path =>
        {
            var whole = await TestMedia.MakeOnceAsync($"{Prefix}whole-20s.mp3", async wholePath =>
            {
                var speech = await SpeechWavAsync("en-us", AfterSilenceLine, cancellationToken);
                await FfmpegAsync(["-stream_loop", "-1", "-i", speech, "-t", "20", "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", wholePath], cancellationToken);
            }, cancellationToken);
            var bytes = await File.ReadAllBytesAsync(whole, cancellationToken);
            await File.WriteAllBytesAsync(path, bytes.AsMemory(0, bytes.Length / 2), cancellationToken);
        }, cancellationToken);

    /// <summary>A 6 s MP4 (H.264 video and AAC speech, moov at the end) whose first 4096 bytes are zeroed: the
    /// <c>ftyp</c> box and the <c>mdat</c> size are gone. ffprobe fails with <c>moov atom not found</c> and
    /// <c>Invalid data found when processing input</c>.</summary>
    public static Task<string> Mp4WithZeroedHeaderAsync(CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}mp4-first-4k-zeroed.mp4", async path =>
        {
            var bytes = await File.ReadAllBytesAsync(await IntactMp4Async(cancellationToken), cancellationToken);
            Array.Clear(bytes, 0, Math.Min(4096, bytes.Length));
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        }, cancellationToken);

    /// <summary>A 6 s MP4 (H.264 video and AAC speech) cut just before its <c>moov</c> box, as a recording whose
    /// camera or app died before finishing: every sample is there, the index is not. ffprobe fails with
    /// <c>moov atom not found</c> and <c>Invalid data found when processing input</c>.</summary>
    public static Task<string> Mp4WithoutMoovAsync(CancellationToken cancellationToken = default) =>
        TestMedia.MakeOnceAsync($"{Prefix}mp4-no-moov.mp4", async path =>
        {
            var bytes = await File.ReadAllBytesAsync(await IntactMp4Async(cancellationToken), cancellationToken);
            await File.WriteAllBytesAsync(path, bytes.AsMemory(0, TopLevelBoxOffset(bytes, "moov")), cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// <paramref name="length"/> pseudo-random bytes (from <paramref name="seed"/>, so the same every run) named
    /// <c>*{extension}</c>. ffprobe fails on <c>.mp4</c> (<c>moov atom not found</c>), <c>.wav</c> and <c>.mkv</c>;
    /// but with <c>.mp3</c> and 256 KiB or more (the default is 1 MiB), ffprobe SUCCEEDS with exit code 0 and
    /// reports an mp3 stream with 0 channels, sample rate 0 and no duration; only decoding fails.
    /// </summary>
    public static Task<string> RandomBytesAsync(string extension = ".mp4", int length = 1 << 20, int seed = 42, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return TestMedia.MakeOnceAsync($"{Prefix}random-{length}-bytes-seed-{seed}{extension}", path =>
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return File.WriteAllBytesAsync(path, bytes, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="source"/> to <paramref name="destination"/> in <paramref name="chunks"/> equal
    /// pieces spread over <paramref name="duration"/>, as a slow copy over a network share: the file exists at
    /// its final name from the first chunk on, grows (each chunk flushed to disk) and is whole when the task
    /// completes. Others may read it meanwhile. Cancelling leaves the partial file.
    /// </summary>
    public static async Task SlowCopyAsync(string source, string destination, TimeSpan duration, int chunks = 10, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        var bytes = await File.ReadAllBytesAsync(source, cancellationToken);
        var pause = duration / chunks;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        await using var stream = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        for (var i = 0; i < chunks; i++)
        {
            var start = (int)((long)bytes.Length * i / chunks);
            var end = (int)((long)bytes.Length * (i + 1) / chunks);
            await stream.WriteAsync(bytes.AsMemory(start, end - start), cancellationToken);
            stream.Flush(flushToDisk: true);
            if (i < chunks - 1)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Builds, in <paramref name="root"/> (created if missing), a layout of symbolic links (all relative) around
    /// one copy of <paramref name="mediaSource"/>; <c>ext</c> is the source's extension:
    /// <code>
    /// root/
    ///   real/
    ///     episode.ext            the only real media file
    ///     loop -> ..             directory link to root: root/real/loop/real/loop/... never ends
    ///     self -> .              directory link to real itself: a second, shorter loop
    ///   episode-link.ext -> real/episode.ext      file link: the same episode a second time
    ///   dangling.ext -> real/missing.ext          link to nothing (File.Exists is still TRUE for it in .NET)
    /// </code>
    /// A walker that follows directory links without remembering where it has been never stops, and .NET's
    /// <c>Directory.EnumerateFiles</c> with <c>RecurseSubdirectories</c> does follow them (unless
    /// <c>AttributesToSkip</c> has <c>ReparsePoint</c>, which also skips the file links): unbounded, it ate 6 GB
    /// in four minutes here. One that does not follow directory links finds real/episode.ext, episode-link.ext
    /// (same content) and dangling.ext, which cannot be opened.
    /// </summary>
    public static SymlinkLayout MakeSymlinkLayout(string root, string mediaSource)
    {
        var extension = Path.GetExtension(mediaSource);
        var real = Path.Combine(root, "real");
        Directory.CreateDirectory(real);
        var media = Path.Combine(real, $"episode{extension}");
        File.Copy(mediaSource, media, overwrite: true);
        var layout = new SymlinkLayout(
            root,
            media,
            Path.Combine(real, "loop"),
            Path.Combine(real, "self"),
            Path.Combine(root, $"episode-link{extension}"),
            Path.Combine(root, $"dangling{extension}"));
        Directory.CreateSymbolicLink(layout.LoopToRoot, "..");
        Directory.CreateSymbolicLink(layout.LoopToSelf, ".");
        File.CreateSymbolicLink(layout.FileLink, Path.Combine("real", $"episode{extension}"));
        File.CreateSymbolicLink(layout.DanglingLink, Path.Combine("real", $"missing{extension}"));
        return layout;
    }

    /// <summary>
    /// English speech, "This clip was made by the test kit. It has speech in it." (4.04 s, mono, espeak's 22.05 kHz;
    /// Opus formats 48 kHz), with tags title "Odd media clip" and artist "EpisodePipeline tests", in
    /// the container and codec <paramref name="extension"/> names (one of <see cref="CommonExtensions"/>, case
    /// as given). Note: for raw ADTS <c>.aac</c> ffprobe only estimates the duration from the bitrate (4.52 s
    /// for this file, which decodes to 4.09 s) and warns <c>Estimating duration from bitrate, this may be inaccurate</c>.
    /// </summary>
    public static Task<string> SpeechInFormatAsync(string extension, CancellationToken cancellationToken = default)
    {
        if (!FormatArguments.TryGetValue(extension, out var arguments))
        {
            throw new ArgumentException($"No format for '{extension}'; use one of {string.Join(", ", CommonExtensions)}.", nameof(extension));
        }

        return TestMedia.MakeOnceAsync($"{Prefix}speech-format{extension}", async path =>
        {
            var speech = await SpeechWavAsync("en-us", ClipLine, cancellationToken);
            await FfmpegAsync(
                ["-i", speech, "-metadata", "title=Odd media clip", "-metadata", "artist=EpisodePipeline tests", .. arguments, path],
                cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="count"/> MP3s named <c>episode-0001.mp3</c>, <c>episode-0002.mp3</c>, ... (digits
    /// as many as <paramref name="count"/> needs) into <paramref name="folder"/>: each is the same 1 s clip of
    /// speech (16 kHz mono, 32 kb/s, about 4 KB), copied, so 1000 files take well under a second. With
    /// <paramref name="distinctContent"/> each copy starts with its own ID3v2.3 tag (title <c>Copy N</c>), so
    /// every file has a different content hash and still decodes the same. Returns the paths in order.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ManyShortFilesAsync(string folder, int count, bool distinctContent = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var clip = await TestMedia.MakeOnceAsync($"{Prefix}one-second-no-id3.mp3", async path =>
        {
            var speech = await SpeechWavAsync("en-us", ClipLine, cancellationToken);
            await FfmpegAsync(
                ["-i", speech, "-t", "1", "-ar", "16000", "-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0", "-f", "mp3", path],
                cancellationToken);
        }, cancellationToken);
        var body = await File.ReadAllBytesAsync(clip, cancellationToken);
        Directory.CreateDirectory(folder);
        var digits = Math.Max(4, Invariant(count).Length);
        var paths = new List<string>(count);
        for (var i = 1; i <= count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, $"episode-{i.ToString($"D{digits}", CultureInfo.InvariantCulture)}.mp3");
            if (distinctContent)
            {
                using var stream = File.Create(path);
                stream.Write(Id3v23Title($"Copy {Invariant(i)}"));
                stream.Write(body);
            }
            else
            {
                File.Copy(clip, path, overwrite: true);
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Cuts <paramref name="path"/> in place (same file, same inode, as a job might have it open) to
    /// <paramref name="fraction"/> of its bytes, rounded down; returns the new length.</summary>
    public static long TruncateInPlace(string path, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var length = (long)(stream.Length * fraction);
        stream.SetLength(length);
        return length;
    }

    /// <summary>Replaces <paramref name="path"/> with a copy of <paramref name="source"/> the way editors and sync
    /// tools do: written beside it, then renamed over it (a new inode; a reader that opened the old file keeps
    /// reading the old content).</summary>
    public static void ReplaceByRename(string path, string source)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Guid.NewGuid():N}.partial");
        File.Copy(source, temp);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Runs a tool (ffprobe, ffmpeg) to the end without throwing on failure, for tests that check what
    /// it says about a file.</summary>
    public static async Task<ToolRun> RunToolAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolRun(process.ExitCode, await output, await error);
    }

    private static async Task FfmpegAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        await TestMedia.RunAsync("ffmpeg", [.. Quiet, .. arguments], cancellationToken);

    /// <summary>espeak-ng saying <paramref name="text"/> with <paramref name="voice"/>: mono 22.05 kHz WAV.</summary>
    private static Task<string> SpeechWavAsync(string voice, string text, CancellationToken cancellationToken) =>
        TestMedia.MakeOnceAsync($"{Prefix}say-{voice}-{Hash(text)}.wav", path =>
            TestMedia.RunAsync("espeak-ng", ["-v", voice, "-s", "150", "-w", path, text], cancellationToken), cancellationToken);

    private static Task<string> IntactMp4Async(CancellationToken cancellationToken) =>
        TestMedia.MakeOnceAsync($"{Prefix}intact-6s.mp4", async path =>
        {
            var speech = await SpeechWavAsync("en-us", AfterSilenceLine, cancellationToken);
            await FfmpegAsync(
                ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=6", "-i", speech, "-t", "6",
                 .. Video, "-c:a", "aac", "-b:a", "64k", "-f", "mp4", path],
                cancellationToken);
        }, cancellationToken);

    private static string[] SilenceCodec(string extension) => extension switch
    {
        ".mp3" => ["-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3"],
        ".wav" => ["-c:a", "pcm_s16le", "-f", "wav"],
        _ => throw new ArgumentException($"Use .mp3 or .wav, not '{extension}'.", nameof(extension)),
    };

    private static int TopLevelBoxOffset(byte[] mp4, string type)
    {
        var wanted = Encoding.ASCII.GetBytes(type);
        var offset = 0;
        while (offset + 8 <= mp4.Length)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan(offset));
            if (mp4.AsSpan(offset + 4, 4).SequenceEqual(wanted))
            {
                return offset;
            }

            // FFmpeg writes 32-bit sizes except a 64-bit mdat (size 1) for large files; ours are small.
            if (size < 8)
            {
                break;
            }

            offset += (int)size;
        }

        throw new InvalidOperationException($"No top-level '{type}' box in the MP4.");
    }

    private static byte[] Id3v23Title(string title)
    {
        var text = Encoding.Latin1.GetBytes(title);
        var frameSize = 1 + text.Length;
        var tag = new byte[10 + 10 + frameSize];
        "ID3"u8.CopyTo(tag);
        tag[3] = 3;
        var tagSize = tag.Length - 10;
        for (var i = 0; i < 4; i++)
        {
            tag[6 + i] = (byte)((tagSize >> (7 * (3 - i))) & 0x7F);
        }

        "TIT2"u8.CopyTo(tag.AsSpan(10));
        BinaryPrimitives.WriteInt32BigEndian(tag.AsSpan(14), frameSize);
        tag[20] = 0; // ISO-8859-1
        text.CopyTo(tag, 21);
        return tag;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What <see cref="OddMedia.MakeSymlinkLayout"/> built; every path is absolute when root was.</summary>
/// <param name="Root">The folder the layout is in (a media folder to point discovery at).</param>
/// <param name="MediaFile"><c>root/real/episode.ext</c>, the one real file.</param>
/// <param name="LoopToRoot"><c>root/real/loop</c> -&gt; <c>..</c></param>
/// <param name="LoopToSelf"><c>root/real/self</c> -&gt; <c>.</c></param>
/// <param name="FileLink"><c>root/episode-link.ext</c> -&gt; <c>real/episode.ext</c></param>
/// <param name="DanglingLink"><c>root/dangling.ext</c> -&gt; <c>real/missing.ext</c>, which does not exist.</param>
public sealed record SymlinkLayout(string Root, string MediaFile, string LoopToRoot, string LoopToSelf, string FileLink, string DanglingLink);

/// <summary>How a tool run ended: exit code, standard output and standard error.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Error);
