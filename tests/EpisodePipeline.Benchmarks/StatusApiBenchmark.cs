using System.Diagnostics;
using EpisodePipeline.Host;
using EpisodePipeline.TestKit;

namespace EpisodePipeline.Benchmarks;

/// <summary><c>GET /async/jobs/{id}</c> under concurrent clients, in memory, against a completed job.</summary>
internal static class StatusApiBenchmark
{
    private const int Clients = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Report report)
    {
        Console.WriteLine($"Status API: {Clients} concurrent clients for {Duration.TotalSeconds:F0} s");
        var root = Directory.CreateTempSubdirectory("bench-api-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "media"));
        File.Copy(await TestMedia.SpeechAudioAsync(12), Path.Combine(root, "media", "episode.mp3"));
        await using var host = await StandaloneHost.StartAsync(
            ["--port", "0", "--Pipeline:Root", root, "--Pipeline:Whisper:ModelPath", TestModel.Path, "--Logging:LogLevel:Default", "Warning",
             // 16 clients polling as fast as they can, far past the default read limit; the limiter still runs.
             "--Host:RateLimits:PollingPermitLimit", "1000000000"]);
        using var api = new ApiClient(host.BaseAddress);
        var http = api.Http;
        await api.DiscoverAsync();
        var jobId = (await api.SubmitOkAsync("episode")).JobId;
        await api.WaitForJobAsync(jobId, TimeSpan.FromMinutes(5), intervalMs: 50);

        var latencies = new List<double>[Clients];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (stop.Elapsed < Duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync($"/async/jobs/{jobId}");
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var rate = all.Length / elapsed;
        var p99 = all[(int)Math.Ceiling(all.Length * 0.99) - 1];
        report.Add("status API throughput", rate, "req/s", "≥ 2,000", rate >= 2000);
        report.Add("status API p99 latency", p99, "ms", "< 25", p99 < 25);
        Directory.Delete(root, recursive: true);
    }
}
