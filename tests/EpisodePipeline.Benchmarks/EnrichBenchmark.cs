using System.Diagnostics;
using System.Globalization;
using EpisodePipeline.Host.Options;
using EpisodePipeline.Host.Sidecar;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.TestKit;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// Enrich time per transcript hour: a 60-minute transcript on an 8k context (split, map calls two at
/// a time, reduce) through the standalone host's sidecar and worker, against the fake Ollama. With
/// an instant model the time is all ours (prompts, HTTP, parsing, validation, orchestration); with a
/// fixed token rate, our overhead is the time beyond the model's own critical path (the map calls
/// scheduled two at a time, then the reduce).
/// </summary>
internal static class EnrichBenchmark
{
    private const string Episode = "bench-hour";
    private const string Model = "llama3.1:8b";
    private const double Minutes = 60;
    private const int Parallel = 2;
    private const double TokensPerSecond = 40;

    public static async Task RunAsync(Report report, int runs)
    {
        Console.WriteLine($"Enrich: {Minutes:F0}-minute transcript, 8k context, {Parallel} map calls at once, fake Ollama");
        await using var ollama = await FakeOllama.StartAsync(Model);
        var root = Directory.CreateTempSubdirectory("episodepipeline-enrich-bench-").FullName;
        try
        {
            var logging = LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
            await using var sidecar = await SidecarServer.StartAsync(new StandaloneHostOptions(), logging, CancellationToken.None);
            using var channel = GrpcChannel.ForAddress(sidecar.Address);
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.DurableTask", LogLevel.Critical);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pipeline:Root"] = root,
                ["Pipeline:Ollama:Url"] = ollama.Url,
                ["Pipeline:Ollama:Model"] = Model,
                ["Pipeline:Ollama:ContextTokens"] = "8192",
                ["Pipeline:Ollama:MaxParallelRequests"] = Parallel.ToString(CultureInfo.InvariantCulture),
            });
            builder.Services.AddEpisodePipeline();
            builder.Services.AddDurableTaskWorker(b =>
            {
                b.AddTasks(r => r.AddEpisodePipelineTasks().AddOrchestratorFunc<bool, EnrichOutcome>(
                    "EnrichOnly", (context, force) => EnrichSteps.RunAsync(context, Episode, force, context.SetCustomStatus)));
                b.UseGrpc(channel);
            });
            builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));
            using var host = builder.Build();
            await host.StartAsync();

            var layout = host.Services.GetRequiredService<DataLayout>();
            TestTranscripts.Write(layout.DataFolder, Episode, Minutes * 60);
            await AtomicFile.WriteJsonAsync(layout.CatalogPath, new List<Episode>
            {
                new() { Id = Episode, Title = "Bench", MediaPath = Path.Combine(root, "none.mp3"), Stage = EpisodeStage.Transcribed },
            });
            var client = host.Services.GetRequiredService<DurableTaskClient>();

            await RunOnceAsync(client); // warm-up: JIT, connections
            var instant = new List<double>();
            var rated = new List<(double Wall, double Model)>();
            for (var run = 0; run < runs; run++)
            {
                ollama.TokensPerSecond = 0;
                instant.Add(await RunOnceAsync(client));

                ollama.TokensPerSecond = TokensPerSecond;
                var before = ollama.Chats.Count;
                var wall = await RunOnceAsync(client);
                rated.Add((wall, CriticalPathSeconds([.. ollama.Chats.Skip(before)])));
                Console.WriteLine($"  run {run + 1}: instant model {instant[^1]:F2} s; {TokensPerSecond} tokens/s model {wall:F2} s of which the model's critical path {rated[^1].Model:F2} s");
            }

            await host.StopAsync();
            var perHour = 60 / Minutes;
            var overhead = Median(rated.Select(r => r.Wall - r.Model));
            report.Add("enrich per transcript hour, instant fake model (all ours)", Median(instant) * perHour, "s");
            report.Add($"enrich per transcript hour, fake model at {TokensPerSecond} tokens/s", Median(rated.Select(r => r.Wall)) * perHour, "s");
            report.Add("enrich overhead per transcript hour beyond the model's critical path", overhead * perHour, "s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<double> RunOnceAsync(DurableTaskClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var watch = Stopwatch.StartNew();
        var id = await client.ScheduleNewOrchestrationInstanceAsync("EnrichOnly", true);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        watch.Stop();
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"Enrich benchmark run failed: {JobStatusMapper.RootCause(done.FailureDetails, done.SerializedOutput)}");
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The fake's generation time on the critical path: map calls list-scheduled <see cref="Parallel"/> at a time, then the rest in order.</summary>
    private static double CriticalPathSeconds(IReadOnlyList<FakeChatRequest> chats)
    {
        double Seconds(FakeChatRequest chat) => Math.Ceiling(PlausibleAnswers.For(chat).Length / 4.0) / TokensPerSecond;
        var lanes = new double[Parallel];
        var total = 0.0;
        foreach (var chat in chats)
        {
            if (chat.Requires("title"))
            {
                total += Seconds(chat);
                continue;
            }

            var lane = Array.IndexOf(lanes, lanes.Min());
            lanes[lane] += Seconds(chat);
        }

        return lanes.Max() + total;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
