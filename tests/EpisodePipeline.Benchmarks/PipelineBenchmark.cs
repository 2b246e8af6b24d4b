using System.Diagnostics;
using System.Text.Json;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Whisper.net;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// A long clip to <c>transcribed</c> through the standalone host (a separate process, in memory), against
/// what a user would run instead: ffmpeg extraction plus Whisper.net on the whole WAV with every core, in a process
/// of its own (so its peak memory is its own).
/// The pipeline runs with its default settings (derived from the machine) and, for comparison, with the
/// settings that were the defaults before they were derived (4 threads, 1 processor, 2 slices of 300 s).
/// It also measures the cost of the Whisper worker process: the baseline's WAV through the worker.
/// </summary>
internal static class PipelineBenchmark
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(30);

    private static readonly string[] OldDefaults =
    [
        "--Pipeline:Whisper:Threads", "4", "--Pipeline:Whisper:GpuConcurrency", "1",
        "--Pipeline:Whisper:ParallelSegments", "2", "--Pipeline:Whisper:SegmentSeconds", "300",
    ];

    public static async Task RunAsync(Report report, int minutes, int runs)
    {
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"Pipeline: {minutes}-minute clip, tiny random-weight model, {cores} cores, median of {runs} interleaved runs");
        var clip = await TestMedia.SpeechVideoAsync(minutes * 60);
        var model = TestModel.Path;

        // Whisper's threads spin-wait on each other, so on two cores any other work in the machine shows up
        // in their time; runs alternate between the contenders and the median of each is compared.
        List<TimeSpan> direct = [], derived = [], old = [], inProcess = [], viaWorker = [];
        long baselinePeak = 0, derivedPeak = 0, oldPeak = 0;
        for (var run = 0; run < runs; run++)
        {
            var baseline = await DirectAsync(clip, model, cores);
            direct.Add(baseline.Total);
            inProcess.Add(baseline.Whisper);
            baselinePeak = Math.Max(baselinePeak, baseline.PeakBytes);
            viaWorker.Add(await ThroughWorkerAsync(baseline.Wav, model, cores));
            File.Delete(baseline.Wav);
            var now = await ThroughHostAsync(clip, model, "default settings", []);
            derived.Add(now.Elapsed);
            derivedPeak = Math.Max(derivedPeak, now.PeakBytes);
            var before = await ThroughHostAsync(clip, model, "former defaults", OldDefaults);
            old.Add(before.Elapsed);
            oldPeak = Math.Max(oldPeak, before.PeakBytes);
        }

        var (d, n, o) = (Median(direct), Median(derived), Median(old));
        var (ip, vw) = (Median(inProcess), Median(viaWorker));
        report.Add($"baseline: ffmpeg + Whisper.net, whole WAV, {cores} threads", d.TotalSeconds, "s");
        report.Add("pipeline, default settings", n.TotalSeconds, "s");
        report.Add("pipeline default settings / baseline", n / d, "", "≤ 1.00", n / d <= 1.00);
        report.Add("pipeline, former defaults (4 threads, 1 processor)", o.TotalSeconds, "s");
        report.Add("former defaults / baseline", o / d, "");
        report.Add("Whisper.net in the baseline's process, whole clip (model load + transcription)", ip.TotalSeconds, "s");
        report.Add("same through the worker process (start + load + the worker reads the WAV)", vw.TotalSeconds, "s");
        report.Add("process boundary: worker / in-process", vw / ip, "");
        // The Whisper worker is a child process: its peak is added, so moving Whisper out of the host does not
        // make the figure look smaller than what the machine needs. Summing two VmHWM values is an upper bound.
        // The target is the issue's "peak memory as today or lower": today's code cannot run beside this one, so
        // "today" is the figure recorded before the memory work (FormerPeakMiB); the baseline's peak is printed beside it.
        var (baselineMiB, derivedMiB, oldMiB) = (baselinePeak / 1048576.0, derivedPeak / 1048576.0, oldPeak / 1048576.0);
        report.Add("baseline peak memory: the Whisper.net process on the whole WAV", baselineMiB, "MiB");
        report.Add("host + worker peak memory, default settings", derivedMiB, "MiB", $"≤ {FormerPeakMiB} (recorded {FormerPeakRecorded})", derivedMiB <= FormerPeakMiB);
        report.Add("peak memory, default settings / baseline", derivedMiB / baselineMiB, "");
        report.Add("host + worker peak memory, former defaults (today's code)", oldMiB, "MiB");
    }

    /// <summary>
    /// Host + worker peak memory (MiB) of the pipeline when issue 5 set the target "peak memory as today or lower":
    /// this benchmark's figure for the settings that were then the defaults, measured on 2026-11-30 at commit 8e7d2f1,
    /// before the Whisper worker read its own slices (README, Benchmark).
    /// </summary>
    private const int FormerPeakMiB = 443;

    private const string FormerPeakRecorded = "2026-11-30, former defaults, before the memory work";

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<(TimeSpan Total, TimeSpan Whisper, long PeakBytes, string Wav)> DirectAsync(string clip, string model, int threads)
    {
        var wav = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.wav");
        var watch = Stopwatch.StartNew();
        await TestMedia.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", clip, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], CancellationToken.None);
        // Whisper.net runs in a process of its own, as a user's program would, so its peak memory is its own.
        var self = Environment.ProcessPath!;
        string[] arguments = [.. Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(PipelineBenchmark).Assembly.Location] : Array.Empty<string>(),
            WhisperBaselineCommand, wav, model, threads.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var output = await TestMedia.RunAsync(self, arguments, CancellationToken.None);
        watch.Stop();
        var run = JsonSerializer.Deserialize<WhisperBaselineRun>(output.Trim().Split('\n')[^1])!;
        Console.WriteLine($"  direct: {run.Segments} segments in {watch.Elapsed.TotalSeconds:F2} s (Whisper.net {run.Seconds:F2} s, peak {run.PeakBytes / 1048576.0:F0} MiB)");
        return (watch.Elapsed, TimeSpan.FromSeconds(run.Seconds), run.PeakBytes, wav);
    }

    /// <summary>The command line word that runs <see cref="WhisperBaselineAsync"/> (the benchmark starts itself with it).</summary>
    public const string WhisperBaselineCommand = "whisper-baseline";

    /// <summary>
    /// The baseline's Whisper.net part, run by the benchmark in a child process: model load and transcription of the
    /// whole WAV with <paramref name="threads"/> threads. Prints one JSON line: seconds, segments and this process's
    /// peak resident memory (<c>VmHWM</c>, bytes).
    /// </summary>
    public static async Task WhisperBaselineAsync(string wav, string model, int threads)
    {
        var watch = Stopwatch.StartNew();
        // The same factory options as the pipeline's Whisper worker, so only the pipeline around Whisper differs.
        using var factory = WhisperFactory.FromPath(model, new WhisperFactoryOptions { UseFlashAttention = true });
        await using var processor = factory.CreateBuilder().WithThreads(threads).WithLanguage("en").WithTemperatureInc(0).Build();
        // Samples read the same way the pipeline reads them, so only the orchestration around them differs.
        var samples = WavFile.ReadSamples(wav, 0, WavFile.DurationSeconds(wav));
        var segments = 0;
        await foreach (var _ in processor.ProcessAsync(samples))
        {
            segments++;
        }

        watch.Stop();
        Console.WriteLine(JsonSerializer.Serialize(new WhisperBaselineRun(watch.Elapsed.TotalSeconds, segments, HostProcess.PeakMemoryOf(Environment.ProcessId))));
    }

    private sealed record WhisperBaselineRun(double Seconds, int Segments, long PeakBytes);

    /// <summary>The baseline's WAV through <see cref="WhisperProcessTranscriber"/>, cold: worker start and model load included, as in <see cref="DirectAsync"/>.</summary>
    private static async Task<TimeSpan> ThroughWorkerAsync(string wav, string model, int threads)
    {
        var options = new Options.PipelineOptions();
        options.Whisper.ModelPath = model;
        options.Whisper.Threads = threads;
        options.Whisper.GpuConcurrency = 1;
        var watch = Stopwatch.StartNew();
        using var transcriber = new WhisperProcessTranscriber(Microsoft.Extensions.Options.Options.Create(options), NullLogger<WhisperProcessTranscriber>.Instance);
        var segments = await transcriber.TranscribeAsync(WavFile.Slice(wav, 0, WavFile.DurationSeconds(wav)), CancellationToken.None);
        watch.Stop();
        Console.WriteLine($"  worker: {segments.Count} segments in {watch.Elapsed.TotalSeconds:F2} s");
        return watch.Elapsed;
    }

    private static async Task<(TimeSpan Elapsed, long PeakBytes)> ThroughHostAsync(string clip, string model, string label, string[] settings)
    {
        var root = Directory.CreateTempSubdirectory("bench-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "media"));
        File.Copy(clip, Path.Combine(root, "media", "episode.mp4"));
        try
        {
            await using var host = await HostProcess.StartAsync(
                [
                    "--Pipeline:Root", root, "--Pipeline:Whisper:ModelPath", model,
                    .. settings,
                    "--Logging:LogLevel:Default", "Warning",
                ],
                TimeSpan.FromSeconds(60));
            using var api = new ApiClient(host.BaseAddress);
            await api.DiscoverAsync();

            var submitted = Stopwatch.StartNew();
            var jobId = (await api.SubmitOkAsync("episode")).JobId;
            submitted.Stop();

            // Poll slowly: on two cores a busy poller steals time from Whisper's spinning threads. The job's own
            // timestamps, not the polling, say when it finished.
            var job = await api.WaitForJobAsync(jobId, JobTimeout, intervalMs: 1000);
            if (job.Status != Jobs.JobStatus.Completed)
            {
                throw new InvalidOperationException($"Benchmark job ended {job.Status}: {job.Error}");
            }

            var elapsed = submitted.Elapsed + (job.UpdatedAt - job.CreatedAt);
            // Peak memory is read before the host stops, while the Whisper worker is still its child.
            var peak = host.PeakMemoryBytes + host.ChildrenPeakMemoryBytes;
            Console.WriteLine($"  host, {label}: {job.Result!.Value.GetProperty("segments").GetInt32()} segments in {elapsed.TotalSeconds:F2} s");
            return (elapsed, peak);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
