using System.Diagnostics;
using EpisodePipeline.Host.Options;
using EpisodePipeline.Host.Sidecar;
using EpisodePipeline.TestKit;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
        // Warnings only; the worker's "call cancelled" errors while stopping after the last completion are noise here.
        var logging = LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        await using var sidecar = await SidecarServer.StartAsync(options, logging, CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(sidecar.Address);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.DurableTask", LogLevel.Critical);
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(r => r
                .AddOrchestratorFunc<int, int>("FanOut", async (context, n) =>
                    (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Noop", i)))).Sum())
                .AddActivityFunc<int, int>("Noop", (_, i) => i));
            b.UseGrpc(channel);
            b.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = options.MaxConcurrentActivities;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = options.MaxConcurrentOrchestrations;
            });
        });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        // Warm up the dispatchers and JIT.
        await client.WaitForInstanceCompletionAsync(await client.ScheduleNewOrchestrationInstanceAsync("FanOut", fanOut), timeout.Token);

        var watch = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, orchestrations).Select(_ => client.ScheduleNewOrchestrationInstanceAsync("FanOut", fanOut)));
        await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id, timeout.Token)));
        watch.Stop();
        await host.StopAsync();

        var rate = orchestrations * fanOut / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {options.Backend}: {orchestrations}x{fanOut} activities in {watch.Elapsed.TotalSeconds:F2} s");
        return rate;
    }
}
