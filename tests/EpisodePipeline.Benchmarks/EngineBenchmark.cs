using System.Diagnostics;
using EpisodePipeline.Host.Options;
using EpisodePipeline.TestKit;
using Microsoft.DurableTask;

namespace EpisodePipeline.Benchmarks;

/// <summary>Activity work items per second through the standalone host's sidecar, with activities that do nothing.</summary>
internal static class EngineBenchmark
{
    public static async Task RunAsync(Report report, bool skipAzurite, int fanOut)
    {
        Console.WriteLine($"Engine: orchestrations fanning out to {fanOut} trivial activities each");
        var memory = await MeasureAsync(new StandaloneHostOptions { MaxConcurrentActivities = 200, MaxConcurrentOrchestrations = 100 }, orchestrations: 5000 / fanOut, fanOut);
        report.Add("engine, in-memory", memory, "activities/s", "≥ 2,500", memory >= 2500);
        if (skipAzurite)
        {
            return;
        }

        await using var azurite = await Azurite.StartAsync();
        var storage = await MeasureAsync(
            new StandaloneHostOptions
            {
                Backend = DurableBackend.AzureStorage,
                StorageConnectionString = azurite.ConnectionString,
                TaskHub = "Bench" + DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture),
                MaxConcurrentActivities = 200,
                MaxConcurrentOrchestrations = 100,
            },
            orchestrations: 500 / fanOut,
            fanOut);
        report.Add("engine, Azure Storage on Azurite", storage, "activities/s", "≥ 150", storage >= 150);
    }

    private static async Task<double> MeasureAsync(StandaloneHostOptions options, int orchestrations, int fanOut)
    {
        await using var worker = await SidecarWorker.StartAsync(options, r => r
            .AddOrchestratorFunc<int, int>("FanOut", async (context, n) =>
                (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Noop", i)))).Sum())
            .AddActivityFunc<int, int>("Noop", (_, i) => i));
        var client = worker.Client;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        // Warm up the dispatchers and JIT.
        await client.WaitForInstanceCompletionAsync(await client.ScheduleNewOrchestrationInstanceAsync("FanOut", fanOut), timeout.Token);

        var watch = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, orchestrations).Select(_ => client.ScheduleNewOrchestrationInstanceAsync("FanOut", fanOut)));
        await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id, timeout.Token)));
        watch.Stop();

        var rate = orchestrations * fanOut / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {options.Backend}: {orchestrations}x{fanOut} activities in {watch.Elapsed.TotalSeconds:F2} s");
        return rate;
    }
}
