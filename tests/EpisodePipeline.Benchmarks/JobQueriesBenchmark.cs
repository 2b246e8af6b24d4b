using System.Diagnostics;
using System.Globalization;
using EpisodePipeline.Host;
using EpisodePipeline.Host.Options;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.TestKit;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// <c>GET /async/jobs</c> and <c>GET /async/stats</c> through the standalone host with a task hub holding many
/// finished jobs, in memory and on Azurite, beside the former path (every instance read on every call).
/// In memory the jobs are real ProcessEpisode jobs run by the host's own worker: most reuse a transcript made once
/// per episode (completed, with a real result and custom status), one in ten names an episode that is not in the
/// catalog (failed at once), one in forty is terminated as soon as it is scheduled (cancelled). On Azurite, where
/// real jobs would take an hour to run here, a stand-in worker runs orchestrations of the job's name with the same
/// inputs, custom statuses and (rendered-stage) results, in one episode each; then the real host serves them, as
/// after a restart. Each URL is asked one request at a time; p50 and p99 are over those requests.
/// </summary>
internal static class JobQueriesBenchmark
{
    private const int Episodes = 5;
    private const int Samples = 200;
    private static readonly TimeSpan SampleBudget = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Report report, int jobs, bool skipMemory, bool skipAzurite)
    {
        Console.WriteLine($"Job queries: list and stats with {jobs:N0} finished jobs");
        if (!skipMemory)
        {
            await InMemoryAsync(report, jobs);
        }

        if (skipAzurite)
        {
            return;
        }

        await using var azurite = await Azurite.StartAsync();
        await OnAzuriteAsync(report, jobs, azurite.ConnectionString);
    }

    private static async Task InMemoryAsync(Report report, int jobs)
    {
        var root = await EpisodesFolderAsync();
        try
        {
            await using var host = await StandaloneHost.StartAsync(HostArgs(root));
            using var api = new ApiClient(host.BaseAddress);
            var client = host.Services.GetRequiredService<DurableTaskClient>();

            var fill = Stopwatch.StartNew();
            await FillAsync(api, client, jobs);
            Console.WriteLine($"  in-memory: {jobs:N0} finished jobs in {fill.Elapsed.TotalSeconds:F0} s");

            // The host built its (empty) index at start; the first request reads every job created since.
            var first = Stopwatch.StartNew();
            var stats = await api.Http.GetStringAsync(new Uri("/async/stats", UriKind.Relative));
            report.Add($"jobs stats, first request after {jobs:N0} new jobs (the index reads them all), in-memory", first.Elapsed.TotalMilliseconds, "ms");
            Console.WriteLine($"  in-memory: stats {stats}");

            await MeasureQueriesAsync(report, api, client, $"{jobs:N0} jobs, in-memory");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task OnAzuriteAsync(Report report, int jobs, string connectionString)
    {
        var taskHub = "Jobs" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var fill = Stopwatch.StartNew();
        await FillWithStandInsAsync(
            new StandaloneHostOptions
            {
                Backend = DurableBackend.AzureStorage,
                StorageConnectionString = connectionString,
                TaskHub = taskHub,
                MaxConcurrentOrchestrations = 100,
            },
            jobs);
        Console.WriteLine($"  Azurite: {jobs:N0} finished jobs in {fill.Elapsed.TotalSeconds:F0} s");

        var root = await EpisodesFolderAsync();
        try
        {
            string[] args = [.. HostArgs(root), "--backend", "AzureStorage", "--storage", connectionString, "--task-hub", taskHub];
            string? before = null;
            for (var start = 1; start <= 2; start++)
            {
                var clock = Stopwatch.StartNew();
                await using var host = await StandaloneHost.StartAsync(args);
                var started = clock.Elapsed.TotalMilliseconds;
                using var api = new ApiClient(host.BaseAddress);
                // The host builds the index as it starts; the first request waits for that.
                var stats = await api.Http.GetStringAsync(new Uri("/async/stats", UriKind.Relative));
                var name = start == 1 ? "first start on the filled hub" : "restart";
                report.Add($"jobs stats, first answer after a host {name} ({started:F0} ms start, then the index build), Azurite", clock.Elapsed.TotalMilliseconds, "ms");
                Console.WriteLine($"  Azurite: stats {stats}");
                if (before is null)
                {
                    await MeasureQueriesAsync(report, api, host.Services.GetRequiredService<DurableTaskClient>(), $"{jobs:N0} jobs, Azurite");
                    before = stats;
                }
                else
                {
                    Check(stats == before, $"the same counts after the restart: {stats} and {before}");
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A data root whose <c>media/</c> holds <see cref="Episodes"/> short spoken episodes.</summary>
    private static async Task<string> EpisodesFolderAsync()
    {
        var root = Directory.CreateTempSubdirectory("episodepipeline-bench-jobs-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "media"));
        var clip = await TestMedia.SpeechAudioAsync(6);
        for (var e = 0; e < Episodes; e++)
        {
            File.Copy(clip, Path.Combine(root, "media", $"episode-{e}.mp3"));
        }

        return root;
    }

    private static string[] HostArgs(string root) =>
    [
        "--port", "0", "--Pipeline:Root", root, "--Pipeline:Whisper:ModelPath", TestModel.Path,
        "--Pipeline:Input:SettleSeconds", "0", "--Logging:LogLevel:Default", "Error",
        // A tenth of the jobs fail on purpose; their log lines are not the benchmark's.
        "--Logging:LogLevel:EpisodePipeline.Orchestrations", "None",
    ];

    /// <summary>Which job of the fill does what: one in ten fails, one in forty is cancelled, the rest complete.</summary>
    private static string EpisodeOf(int i) => i % 10 == 0 ? $"retired-{i % 7}" : $"episode-{i % Episodes}";

    private static bool IsCancelled(int i) => i % 40 == 1;

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

        await ScheduleAsync(client, Episodes, jobs, i => new ProcessEpisodeInput(EpisodeOf(i), EpisodeStage.Transcribed, ForceReprocess: false, WebhookUrl: null));
    }

    /// <summary>
    /// Jobs in a task hub on Azure Storage without running the pipeline: a worker whose orchestration of the job's
    /// name sets the custom status a finished job has and returns a rendered job's result (or fails as a job for an
    /// unknown episode does), in one episode. The real host is started on the hub afterwards.
    /// </summary>
    private static async Task FillWithStandInsAsync(StandaloneHostOptions options, int jobs)
    {
        // Terminating jobs that are starting makes the backend log every message it drops; that is what was asked.
        await using var worker = await SidecarWorker.StartAsync(
            options,
            r => r.AddOrchestratorFunc<ProcessEpisodeInput, ProcessEpisodeResult>(nameof(ProcessEpisodeOrchestrator), (context, input) =>
            {
                if (input.EpisodeId.StartsWith("retired-", StringComparison.Ordinal))
                {
                    context.SetCustomStatus(new PipelineStatus { Phase = JobPhase.Starting, Progress = 5, Message = "Preparing episode" });
                    throw new InvalidOperationException($"Episode '{input.EpisodeId}' is not in the catalog; run discovery first.");
                }

                context.SetCustomStatus(new PipelineStatus
                {
                    Phase = JobPhase.Completed, Progress = 100, Message = "Transcribed 3 segments, 6 chapters, page rendered", EtaSeconds = 0, SegmentsTotal = 3, SegmentsDone = 3,
                });
                return Task.FromResult(RenderedResult(input.EpisodeId));
            }),
            LogLevel.Error);
        var client = worker.Client;
        await ScheduleAsync(client, 0, jobs, i => new ProcessEpisodeInput(EpisodeOf(i), EpisodeStage.Rendered, ForceReprocess: false, WebhookUrl: null));
    }

    /// <summary>What a job to <c>rendered</c> returns: references to its artifacts and pages, as the real orchestrator's result has them.</summary>
    private static ProcessEpisodeResult RenderedResult(string episodeId)
    {
        string[] kinds = ["page", "captions_vtt", "captions_srt", "chapters_vtt", "chapters_json", "podcast_transcript", "transcript_txt", "chapter_list", "media"];
        return new ProcessEpisodeResult
        {
            EpisodeId = episodeId,
            Stage = EpisodeStage.Rendered,
            Duration = 6.02,
            Segments = 3,
            AudioTrack = 0,
            JobSeconds = 41.3,
            PageUrl = $"/site/episodes/{episodeId}/",
            PublicUrl = $"http://localhost:8000/site/episodes/{episodeId}/",
            Files = kinds.ToDictionary(k => k, k => $"episodes/{episodeId}/{k.Replace('_', '.')}"),
            Urls = kinds.ToDictionary(k => k, k => $"/site/episodes/{episodeId}/{k.Replace('_', '.')}"),
            Artifacts = new Dictionary<string, string>
            {
                ["audio"] = $"episodes/{episodeId}/audio.wav",
                ["transcript"] = $"episodes/{episodeId}/transcript.json",
                ["transcript_text"] = $"episodes/{episodeId}/transcript.txt",
                ["enrichment"] = $"episodes/{episodeId}/enrichment.json",
            },
        };
    }

    /// <summary>Schedules jobs <paramref name="from"/> to <paramref name="to"/> (exclusive), cancels one in forty, and waits until none is queued or running.</summary>
    private static async Task ScheduleAsync(DurableTaskClient client, int from, int to, Func<int, ProcessEpisodeInput> input)
    {
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(EpisodeJobs.OrchestrationName, input(i), token);
            if (IsCancelled(i))
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
            TimeSpan.FromMinutes(60),
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
