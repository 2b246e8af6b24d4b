using EpisodePipeline.Host.Options;
using EpisodePipeline.Host.Sidecar;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// The standalone host's sidecar (same backend settings) with a bare Durable Task worker and client over it, running
/// whatever tasks a benchmark registers instead of the pipeline's.
/// </summary>
internal sealed class SidecarWorker : IAsyncDisposable
{
    private readonly SidecarServer _sidecar;
    private readonly GrpcChannel _channel;
    private readonly IHost _host;

    private SidecarWorker(SidecarServer sidecar, GrpcChannel channel, IHost host)
    {
        _sidecar = sidecar;
        _channel = channel;
        _host = host;
    }

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    /// <param name="backendLogLevel">What the backend logs (the sidecar's own logger factory).</param>
    public static async Task<SidecarWorker> StartAsync(StandaloneHostOptions options, Action<DurableTaskRegistry> tasks, LogLevel backendLogLevel = LogLevel.Warning)
    {
        var logging = LoggerFactory.Create(l => l.SetMinimumLevel(backendLogLevel).AddSimpleConsole());
        var sidecar = await SidecarServer.StartAsync(options, logging, CancellationToken.None);
        var channel = GrpcChannel.ForAddress(sidecar.Address);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        // The worker's "call cancelled" errors while stopping after the last completion are noise here.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.DurableTask", LogLevel.Critical);
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(tasks);
            b.UseGrpc(channel);
            b.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = options.MaxConcurrentActivities;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = options.MaxConcurrentOrchestrations;
            });
        });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));
        var host = builder.Build();
        await host.StartAsync();
        return new SidecarWorker(sidecar, channel, host);
    }

    /// <summary>Stops the worker, then the sidecar (the order the standalone host keeps).</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _channel.Dispose();
        await _sidecar.DisposeAsync();
    }
}
