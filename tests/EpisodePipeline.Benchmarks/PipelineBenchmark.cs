using System.Diagnostics;
using EpisodePipeline.TestKit;
using Whisper.net;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// A long clip to <c>transcribed</c> through the standalone host (a separate process, in memory),
/// against the same work done directly: ffmpeg extraction plus Whisper.net on the whole WAV, same model
/// and settings, no segmenting.
/// </summary>
internal static class PipelineBenchmark
{
    // One Whisper thread: with two spinning threads on two shared cores, run-to-run noise (±15 %) is larger
    // than the overhead being measured.
    private const int Threads = 1;

    // A 10-minute clip takes about 25 s here; a job still running after this is hung, not slow.
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(30);

    public static async Task RunAsync(Report report, int minutes, int runs)
    {
        Console.WriteLine($"Pipeline: {minutes}-minute clip, tiny random-weight model, {Threads} Whisper threads, median of {runs} runs");
        var clip = await TestMedia.SpeechVideoAsync(minutes * 60);
        var model = TestModel.Path;

        // Whisper's threads spin-wait on each other, so on two cores any other work in the machine shows up
        // in their time; runs alternate between the contenders and the median of each is compared.
        List<TimeSpan> direct = [], whole = [], fanned = [];
        long peak = 0, fannedPeak = 0;
        for (var run = 0; run < runs; run++)
        {
            direct.Add(await DirectAsync(clip, model));
            var one = await ThroughHostAsync(clip, model, segmentSeconds: 3600, parallel: 1, threads: Threads);
            whole.Add(one.Elapsed);
            peak = Math.Max(peak, one.PeakBytes);
            var many = await ThroughHostAsync(clip, model, segmentSeconds: 60, parallel: 2, threads: Threads);
            fanned.Add(many.Elapsed);
            fannedPeak = Math.Max(fannedPeak, many.PeakBytes);
        }

        var (d, w, f) = (Median(direct), Median(whole), Median(fanned));

        report.Add("direct ffmpeg + Whisper.net (baseline)", d.TotalSeconds, "s");
        report.Add("pipeline, one segment", w.TotalSeconds, "s");
        report.Add("pipeline overhead: one segment / baseline", w / d, "", "≤ 1.10", w / d <= 1.10);
        report.Add("pipeline, 60 s segments, 2 in parallel", f.TotalSeconds, "s");
        report.Add("fanned out / baseline", f / d, "");
        report.Add("host peak memory (one segment)", peak / 1048576.0, "MiB");
        report.Add("host peak memory (fanned out)", fannedPeak / 1048576.0, "MiB");
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<TimeSpan> DirectAsync(string clip, string model)
    {
        var wav = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.wav");
        var watch = Stopwatch.StartNew();
        await TestMedia.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", clip, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], CancellationToken.None);
        using var factory = WhisperFactory.FromPath(model);
        await using var processor = factory.CreateBuilder().WithThreads(Threads).WithLanguage("en").WithTemperatureInc(0).Build();
        // Samples read the same way the pipeline reads them, so only the orchestration around them differs.
        var samples = Services.Media.WavFile.ReadSamples(wav, 0, Services.Media.WavFile.DurationSeconds(wav));
        var segments = 0;
        await foreach (var _ in processor.ProcessAsync(samples))
        {
            segments++;
        }

        watch.Stop();
        File.Delete(wav);
        Console.WriteLine($"  direct: {segments} segments in {watch.Elapsed.TotalSeconds:F2} s");
        return watch.Elapsed;
    }

    private static async Task<(TimeSpan Elapsed, long PeakBytes)> ThroughHostAsync(string clip, string model, int segmentSeconds, int parallel, int threads)
    {
        var root = Directory.CreateTempSubdirectory("bench-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "media"));
        File.Copy(clip, Path.Combine(root, "media", "episode.mp4"));
        try
        {
            await using var host = await HostProcess.StartAsync(
                [
                    "--Pipeline:Root", root, "--Pipeline:Whisper:ModelPath", model,
                    "--Pipeline:Whisper:SegmentSeconds", $"{segmentSeconds}", "--Pipeline:Whisper:ParallelSegments", $"{parallel}",
                    "--Pipeline:Whisper:GpuConcurrency", $"{parallel}", "--Pipeline:Whisper:Threads", $"{threads}",
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
            Console.WriteLine($"  host ({segmentSeconds} s segments, {parallel} parallel): {job.Result!.Value.GetProperty("segments").GetInt32()} segments in {elapsed.TotalSeconds:F2} s");
            return (elapsed, host.PeakMemoryBytes);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
