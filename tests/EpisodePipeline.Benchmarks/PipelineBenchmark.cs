using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.TestKit;
using EpisodePipeline.Services.Transcription;
using Microsoft.Extensions.Logging.Abstractions;
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

    public static async Task RunAsync(Report report, int minutes, int runs)
    {
        Console.WriteLine($"Pipeline: {minutes}-minute clip, tiny random-weight model, {Threads} Whisper threads, median of {runs} runs");
        var clip = await TestMedia.SpeechVideoAsync(minutes * 60);
        var model = Path.Combine(TestMedia.CacheFolder, "ggml-tiny-random.bin");
        if (!File.Exists(model))
        {
            TinyWhisperModel.Write(model);
        }

        // Whisper's threads spin-wait on each other, so on two cores any other work in the machine shows up
        // in their time; runs alternate between the contenders and the median of each is compared.
        List<TimeSpan> direct = [], whole = [], fanned = [], inProcess = [], viaWorker = [];
        long peak = 0, fannedPeak = 0, workerPeak = 0, fannedWorkerPeak = 0;
        for (var run = 0; run < runs; run++)
        {
            var baseline = await DirectAsync(clip, model);
            direct.Add(baseline.Total);
            inProcess.Add(baseline.Whisper);
            viaWorker.Add(await ThroughWorkerAsync(baseline.Samples, model));
            var one = await ThroughHostAsync(clip, model, segmentSeconds: 3600, parallel: 1, threads: Threads);
            whole.Add(one.Elapsed);
            peak = Math.Max(peak, one.PeakBytes);
            workerPeak = Math.Max(workerPeak, one.WorkerPeakBytes);
            var many = await ThroughHostAsync(clip, model, segmentSeconds: 60, parallel: 2, threads: Threads);
            fanned.Add(many.Elapsed);
            fannedPeak = Math.Max(fannedPeak, many.PeakBytes);
            fannedWorkerPeak = Math.Max(fannedWorkerPeak, many.WorkerPeakBytes);
        }

        var (d, w, f) = (Median(direct), Median(whole), Median(fanned));
        var (ip, vw) = (Median(inProcess), Median(viaWorker));

        report.Add("direct ffmpeg + Whisper.net (baseline)", d.TotalSeconds, "s");
        report.Add("pipeline, one segment", w.TotalSeconds, "s");
        report.Add("pipeline overhead: one segment / baseline", w / d, "", "≤ 1.10", w / d <= 1.10);
        report.Add("Whisper.net in-process, whole clip (model load + transcription)", ip.TotalSeconds, "s");
        report.Add("same through the worker process (start + load + samples over the pipe)", vw.TotalSeconds, "s");
        report.Add("process boundary: worker / in-process", vw / ip, "");
        report.Add("pipeline, 60 s segments, 2 in parallel", f.TotalSeconds, "s");
        report.Add("fanned out / baseline", f / d, "");
        // The Whisper worker is a child process: its peak is added, so moving Whisper out of the host does not
        // make the figure look smaller than what the machine needs. Summing two VmHWM values is an upper bound.
        report.Add("host + Whisper worker peak memory (one segment)", (peak + workerPeak) / 1048576.0, "MiB");
        report.Add("Whisper worker peak memory (one segment)", workerPeak / 1048576.0, "MiB");
        report.Add("host + Whisper worker peak memory (fanned out)", (fannedPeak + fannedWorkerPeak) / 1048576.0, "MiB");
        report.Add("Whisper worker peak memory (fanned out)", fannedWorkerPeak / 1048576.0, "MiB");
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The baseline's samples through <see cref="WhisperProcessTranscriber"/>, cold: worker start and model load included, as in <see cref="DirectAsync"/>.</summary>
    private static async Task<TimeSpan> ThroughWorkerAsync(float[] samples, string model)
    {
        var options = new Options.PipelineOptions();
        options.Whisper.ModelPath = model;
        options.Whisper.Threads = Threads;
        options.Whisper.GpuConcurrency = 1;
        var watch = Stopwatch.StartNew();
        using var transcriber = new WhisperProcessTranscriber(Microsoft.Extensions.Options.Options.Create(options), NullLogger<WhisperProcessTranscriber>.Instance);
        var segments = await transcriber.TranscribeAsync(samples, CancellationToken.None);
        watch.Stop();
        Console.WriteLine($"  worker: {segments.Count} segments in {watch.Elapsed.TotalSeconds:F2} s");
        return watch.Elapsed;
    }

    private static async Task<(TimeSpan Total, TimeSpan Whisper, float[] Samples)> DirectAsync(string clip, string model)
    {
        var wav = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.wav");
        var watch = Stopwatch.StartNew();
        await TestMedia.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", clip, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], CancellationToken.None);
        var whisper = Stopwatch.StartNew();
        using var factory = WhisperFactory.FromPath(model);
        await using var processor = factory.CreateBuilder().WithThreads(Threads).WithLanguage("en").WithTemperatureInc(0).Build();
        // Samples read the same way the pipeline reads them, so only the orchestration around them differs.
        var samples = Services.WavFile.ReadSamples(wav, 0, Services.WavFile.DurationSeconds(wav));
        var segments = 0;
        await foreach (var _ in processor.ProcessAsync(samples))
        {
            segments++;
        }

        watch.Stop();
        whisper.Stop();
        File.Delete(wav);
        Console.WriteLine($"  direct: {segments} segments in {watch.Elapsed.TotalSeconds:F2} s (Whisper.net {whisper.Elapsed.TotalSeconds:F2} s)");
        return (watch.Elapsed, whisper.Elapsed, samples);
    }

    private static async Task<(TimeSpan Elapsed, long PeakBytes, long WorkerPeakBytes)> ThroughHostAsync(string clip, string model, int segmentSeconds, int parallel, int threads)
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
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            (await http.PostAsync("/episodes/discover", null)).EnsureSuccessStatusCode();

            var submitted = Stopwatch.StartNew();
            using var submit = await http.PostAsJsonAsync("/async/episodes/episode/process", new { target_stage = "transcribed" });
            submitted.Stop();
            var jobId = (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString();
            JsonElement job;
            do
            {
                // Poll slowly: on two cores a busy poller steals time from Whisper's spinning threads. The
                // job's own timestamps, not the polling, say when it finished.
                await Task.Delay(1000);
                job = await http.GetFromJsonAsync<JsonElement>($"/async/jobs/{jobId}");
            }
            while (job.GetProperty("status").GetString() is "queued" or "running");

            if (job.GetProperty("status").GetString() != "completed")
            {
                throw new InvalidOperationException($"Benchmark job failed: {job}");
            }

            var elapsed = submitted.Elapsed + (job.GetProperty("updated_at").GetDateTimeOffset() - job.GetProperty("created_at").GetDateTimeOffset());
            Console.WriteLine($"  host ({segmentSeconds} s segments, {parallel} parallel): {job.GetProperty("result").GetProperty("segments").GetInt32()} segments in {elapsed.TotalSeconds:F2} s");
            return (elapsed, host.PeakMemoryBytes, host.ChildrenPeakMemoryBytes);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
