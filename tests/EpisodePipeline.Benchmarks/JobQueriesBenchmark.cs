using System.Diagnostics;
using System.Globalization;
using EpisodePipeline.Host;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.TestKit;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// <c>GET /async/jobs</c> and <c>GET /async/stats</c> through the standalone host with a task hub holding many
/// finished jobs, in memory and on Azurite. The jobs are real ProcessEpisode orchestrations run by the host's own
/// worker: most reuse a transcript made once per episode (completed, with a real result and custom status),
/// some name an episode that is not in the catalog (failed at once), some are terminated as soon as they are
/// scheduled (cancelled). Each URL is asked one request at a time; p50 and p99 are over those requests.
/// </summary>
internal static class JobQueriesBenchmark
{
    private const int Episodes = 5;
    private const int Samples = 200;
    private static readonly TimeSpan SampleBudget = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Report report, int jobs, bool skipAzurite)
    {
        Console.WriteLine($"Job queries: list and stats with {jobs:N0} finished jobs");
        await MeasureAsync(report, "in-memory", jobs, []);
        if (skipAzurite)
        {
            return;
        }

        await using var azurite = await Azurite.StartAsync();
        var taskHub = "Jobs" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        await MeasureAsync(report, "Azurite", jobs, ["--backend", "AzureStorage", "--storage", azurite.ConnectionString, "--task-hub", taskHub], restart: true);
    }

    private static async Task MeasureAsync(Report report, string backend, int jobs, string[] backendArgs, bool restart = false)
    {
        var root = Directory.CreateTempSubdirectory("episodepipeline-bench-jobs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "media"));
            var clip = await TestMedia.SpeechAudioAsync(6);
            for (var e = 0; e < Episodes; e++)
            {
                File.Copy(clip, Path.Combine(root, "media", $"episode-{e}.mp3"));
            }

            string[] args =
            [
                "--port", "0", "--Pipeline:Root", root, "--Pipeline:Whisper:ModelPath", TestModel.Path,
                "--Pipeline:Input:SettleSeconds", "0", "--Logging:LogLevel:Default", "Error",
                // A tenth of the jobs fail on purpose; their log lines are not the benchmark's.
                "--Logging:LogLevel:EpisodePipeline.Orchestrations", "None", .. backendArgs,
            ];
            string stats;
            await using (var host = await StandaloneHost.StartAsync(args))
            {
                using var api = new ApiClient(host.BaseAddress);
                var client = host.Services.GetRequiredService<DurableTaskClient>();

                var fill = Stopwatch.StartNew();
                await FillAsync(api, client, jobs);
                Console.WriteLine($"  {backend}: {jobs:N0} finished jobs in {fill.Elapsed.TotalSeconds:F0} s");

                // The host built its (empty) index at start; the first request reads every job created since.
                var first = Stopwatch.StartNew();
                stats = await api.Http.GetStringAsync(new Uri("/async/stats", UriKind.Relative));
                report.Add($"jobs stats, first request after {jobs:N0} new jobs (the index reads them all), {backend}", first.Elapsed.TotalMilliseconds, "ms");
                Console.WriteLine($"  {backend}: stats {stats}");

                await MeasureQueriesAsync(report, api, client, $"{jobs:N0} jobs, {backend}");
            }

            if (restart)
            {
                var clock = Stopwatch.StartNew();
                await using var again = await StandaloneHost.StartAsync(args);
                using var againApi = new ApiClient(again.BaseAddress);
                var restarted = await againApi.Http.GetStringAsync(new Uri("/async/stats", UriKind.Relative));
                report.Add($"jobs stats, first answer after a host restart (start and index build), {backend}", clock.Elapsed.TotalMilliseconds, "ms");
                Check(restarted == stats, $"the same counts after the restart: {restarted} and {stats}");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The four requests through the host, then the same answers computed as the handlers did before the job index
    /// (every instance read with its input and output, filtered, sorted and counted in memory), without HTTP.
    /// </summary>
    private static async Task MeasureQueriesAsync(Report report, ApiClient api, DurableTaskClient client, string what)
    {
        var queries = new (string Name, string Url, Func<Task> Scan)[]
        {
            ("list `limit=20`", "/async/jobs?limit=20", () => ScanListAsync(client, null, null, 20)),
            ("list `status=failed&limit=20`", "/async/jobs?status=failed&limit=20", () => ScanListAsync(client, JobStatus.Failed, null, 20)),
            ("list `episode_id=episode-1`", "/async/jobs?episode_id=episode-1", () => ScanListAsync(client, null, "episode-1", 20)),
            ("stats", "/async/stats", () => ScanListAsync(client, null, null, int.MaxValue)),
        };
        foreach (var (name, url, scan) in queries)
        {
            var latencies = await SampleAsync(async () =>
            {
                using var response = await api.Http.GetAsync(new Uri(url, UriKind.Relative));
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
            });
            var before = await SampleAsync(scan);
            var p50 = Percentile(latencies, 0.50);
            report.Add($"**jobs {name}**, {what}: p50 ({latencies.Length} requests)", p50, "ms", "< 100", p50 < 100);
            report.Add($"jobs {name}, {what}: p99", Percentile(latencies, 0.99), "ms");
            report.Add($"jobs {name}, {what}, reading every instance as before (no HTTP): p50 ({before.Length} runs)", Percentile(before, 0.50), "ms");
            report.Add($"jobs {name}, {what}, reading every instance as before (no HTTP): p99", Percentile(before, 0.99), "ms");
        }
    }

    /// <summary>What <c>GET /async/jobs</c> and <c>/async/stats</c> did before the job index, on every call.</summary>
    private static async Task<List<JobResponse>> ScanListAsync(DurableTaskClient client, JobStatus? status, string? episodeId, int take)
    {
        var jobs = new List<JobResponse>();
        await foreach (var metadata in client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = 500 }))
        {
            if (metadata.Name == EpisodeJobs.OrchestrationName)
            {
                jobs.Add(JobStatusMapper.Map(metadata));
            }
        }

        return [.. jobs
            .Where(j => status is null || j.Status == status)
            .Where(j => episodeId is null || j.EpisodeId == episodeId)
            .OrderByDescending(j => j.CreatedAt)
            .ThenBy(j => j.JobId, StringComparer.Ordinal)
            .Take(take)];
    }

    /// <summary>
    /// One real job per episode makes its transcript; then <paramref name="jobs"/> jobs in all, scheduled through the
    /// host's client (the API would join an episode's active job instead), and waits until none is queued or running.
    /// </summary>
    private static async Task FillAsync(ApiClient api, DurableTaskClient client, int jobs)
    {
        var discovered = await api.DiscoverAsync();
        Check(discovered.GetProperty("ready").GetInt32() == Episodes, $"{Episodes} episodes ready: {discovered}");
        for (var e = 0; e < Episodes; e++)
        {
            var first = await api.WaitForJobAsync((await api.SubmitOkAsync($"episode-{e}")).JobId, TimeSpan.FromMinutes(5));
            Check(first.Status == JobStatus.Completed, $"the first job of episode-{e} completed: {first.Status} {first.Error}");
        }

        await Parallel.ForEachAsync(Enumerable.Range(Episodes, jobs - Episodes), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            // One in ten names an episode that is no longer in the catalog (fails at once), one in forty is cancelled.
            var episode = i % 10 == 0 ? $"retired-{i % 7}" : $"episode-{i % Episodes}";
            var id = await client.ScheduleNewOrchestrationInstanceAsync(
                EpisodeJobs.OrchestrationName,
                new ProcessEpisodeInput(episode, EpisodeStage.Transcribed, ForceReprocess: false, WebhookUrl: null),
                token);
            if (i % 40 == 1)
            {
                await client.TerminateInstanceAsync(id, "cancelled by the benchmark", token);
            }
        });

        await Poll.UntilAsync(
            async () =>
            {
                await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery
                {
                    Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
                    PageSize = 1,
                }))
                {
                    return false;
                }

                return true;
            },
            done => done,
            TimeSpan.FromMinutes(30),
            "every job to finish",
            intervalMs: 1000);
    }

    /// <summary>Latencies in ms of one request at a time: <see cref="Samples"/> of them, or fewer (at least 5) when they are slow.</summary>
    private static async Task<double[]> SampleAsync(Func<Task> request)
    {
        for (var warmup = 0; warmup < 2; warmup++)
        {
            await request();
        }

        var latencies = new List<double>();
        var budget = Stopwatch.StartNew();
        while (latencies.Count < Samples && (latencies.Count < 5 || budget.Elapsed < SampleBudget))
        {
            var start = Stopwatch.GetTimestamp();
            await request();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return [.. latencies.Order()];
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * p) - 1)];

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark setup failed: expected {what}.");
        }
    }
}
