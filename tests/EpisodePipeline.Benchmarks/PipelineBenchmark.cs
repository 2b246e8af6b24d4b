using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
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
    private const int Threads = 2;

    public static async Task RunAsync(Report report, int minutes)
    {
        Console.WriteLine($"Pipeline: {minutes}-minute clip, tiny random-weight model, {Threads} Whisper threads");
        var clip = await TestMedia.SpeechVideoAsync(minutes * 60);
        var model = Path.Combine(TestMedia.CacheFolder, "ggml-tiny-random.bin");
        if (!File.Exists(model))
        {
            TinyWhisperModel.Write(model);
        }

        var direct = await DirectAsync(clip, model);
        var (whole, peak) = await ThroughHostAsync(clip, model, segmentSeconds: 3600, parallel: 1, threads: Threads);
        var (fanned, fannedPeak) = await ThroughHostAsync(clip, model, segmentSeconds: 60, parallel: 2, threads: 1);

        report.Add("direct ffmpeg + Whisper.net (baseline)", direct.TotalSeconds, "s");
        report.Add("pipeline, one segment", whole.TotalSeconds, "s");
        report.Add("pipeline overhead: one segment / baseline", whole / direct, "", "≤ 1.10", whole / direct <= 1.10);
        report.Add("pipeline, 60 s segments, 2 in parallel", fanned.TotalSeconds, "s");
        report.Add("fanned out / baseline", fanned / direct, "");
        report.Add("host peak memory (one segment)", peak / 1048576.0, "MiB");
        report.Add("host peak memory (fanned out)", fannedPeak / 1048576.0, "MiB");
    }

    private static async Task<TimeSpan> DirectAsync(string clip, string model)
    {
        var wav = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.wav");
        var watch = Stopwatch.StartNew();
        await TestMedia.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", clip, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], CancellationToken.None);
        using var factory = WhisperFactory.FromPath(model);
        await using var processor = factory.CreateBuilder().WithThreads(Threads).WithLanguage("en").WithTemperatureInc(0).Build();
        await using var audio = File.OpenRead(wav);
        var segments = 0;
        await foreach (var _ in processor.ProcessAsync(audio))
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
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            (await http.PostAsync("/episodes/discover", null)).EnsureSuccessStatusCode();

            var watch = Stopwatch.StartNew();
            using var submit = await http.PostAsJsonAsync("/async/episodes/episode/process", new { target_stage = "transcribed" });
            var jobId = (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString();
            JsonElement job;
            do
            {
                await Task.Delay(50);
                job = await http.GetFromJsonAsync<JsonElement>($"/async/jobs/{jobId}");
            }
            while (job.GetProperty("status").GetString() is "queued" or "running");

            watch.Stop();
            if (job.GetProperty("status").GetString() != "completed")
            {
                throw new InvalidOperationException($"Benchmark job failed: {job}");
            }

            Console.WriteLine($"  host ({segmentSeconds} s segments, {parallel} parallel): {job.GetProperty("result").GetProperty("segments").GetInt32()} segments in {watch.Elapsed.TotalSeconds:F2} s");
            return (watch.Elapsed, host.PeakMemoryBytes);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
