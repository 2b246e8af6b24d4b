using System.Diagnostics;
using System.Globalization;

namespace EpisodePipeline.TestKit;

/// <summary>
/// Media the tests make instead of ship: espeak-ng speech muxed by FFmpeg with a test video.
/// Files are cached per content in a temp folder, so a test run makes each one once.
/// </summary>
public static class TestMedia
{
    private const string Script =
        "Welcome to the newsroom podcast. Today we talk about local first software and why it matters. " +
        "Our first guest builds media pipelines that run on a single workstation. " +
        "She explains how audio is extracted, cut into segments, and transcribed by a speech model. " +
        "Then we discuss summaries, chapters and keywords made by a language model running on the same machine. " +
        "Finally we look at publishing pages and subtitles for every episode. Thank you for listening.";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<string>>> Made = new(StringComparer.Ordinal);

    public static string CacheFolder { get; } = Path.Combine(Path.GetTempPath(), "episodepipeline-testkit");

    /// <summary>An MP4 (test video + spoken English) of exactly <paramref name="seconds"/> seconds.</summary>
    public static Task<string> SpeechVideoAsync(int seconds, CancellationToken cancellationToken = default) =>
        MakeOnceAsync($"speech-{seconds}s.mp4", async path =>
        {
            var speech = await SpeechWavAsync(cancellationToken);
            var s = seconds.ToString(CultureInfo.InvariantCulture);
            await RunAsync("ffmpeg",
                ["-v", "error", "-y",
                 "-f", "lavfi", "-i", $"testsrc=size=160x120:rate=10:duration={s}",
                 "-stream_loop", "-1", "-i", speech,
                 "-filter_complex", "[1:a]apad[a]", "-map", "0:v", "-map", "[a]",
                 "-t", s, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                 "-c:a", "aac", "-b:a", "64k", path],
                cancellationToken);
        }, cancellationToken);

    /// <summary>An MP3 of exactly <paramref name="seconds"/> seconds of speech (a podcast episode).</summary>
    public static Task<string> SpeechAudioAsync(int seconds, CancellationToken cancellationToken = default) =>
        MakeOnceAsync($"speech-{seconds}s.mp3", async path =>
        {
            var speech = await SpeechWavAsync(cancellationToken);
            await RunAsync("ffmpeg",
                ["-v", "error", "-y", "-stream_loop", "-1", "-i", speech, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                 "-c:a", "libmp3lame", "-b:a", "64k", path],
                cancellationToken);
        }, cancellationToken);

    /// <summary>The spoken script as a WAV, about half a minute long.</summary>
    public static Task<string> SpeechWavAsync(CancellationToken cancellationToken = default) =>
        MakeOnceAsync("speech.wav", path => RunAsync("espeak-ng", ["-v", "en-us", "-s", "150", "-w", path, Script], cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="program"/> to its end; returns what it wrote to standard output. A non-zero exit throws, with its standard error.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    /// <summary>Makes <paramref name="name"/> once per process (and reuses it across runs); files appear whole or not at all.</summary>
    internal static Task<string> MakeOnceAsync(string name, Func<string, Task> make, CancellationToken cancellationToken) =>
        Made.GetOrAdd(name, _ => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(CacheFolder, name);
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(CacheFolder);
                var temp = Path.Combine(CacheFolder, $"{Environment.ProcessId}-{Guid.NewGuid():N}{Path.GetExtension(name)}");
                await make(temp);
                File.Move(temp, path, overwrite: true);
            }

            return path;
        })).Value.WaitAsync(cancellationToken);
}
