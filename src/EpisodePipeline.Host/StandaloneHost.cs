using EpisodePipeline.Host.Api;
using EpisodePipeline.Host.Api.OpenApi;
using EpisodePipeline.Host.Extensions;
using EpisodePipeline.Host.Sidecar;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;

namespace EpisodePipeline.Host;

/// <summary>
/// The standalone host: the whole HTTP contract plus the durable workflow, without Azure Functions.
/// Start order is sidecar, then the app with the worker and client; stop order is the reverse.
/// </summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SidecarServer _sidecar;
    private readonly GrpcChannel _channel;
    private int _stopped;

    private StandaloneHost(WebApplication app, SidecarServer sidecar, GrpcChannel channel)
    {
        _app = app;
        _sidecar = sidecar;
        _channel = channel;
        BaseAddress = StandaloneHostExtensions.BoundAddress(app.Services.GetRequiredService<IServer>());
    }

    /// <summary>Where the HTTP API listens.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Activity lock renewals the sidecar has made so far (Azure Storage only).</summary>
    internal long ActivityLockRenewals => _sidecar.ActivityLockRenewals;

    /// <summary>Work items the in-memory sidecar dropped because their instance had been purged.</summary>
    internal long OrphansDropped => _sidecar.OrphansDropped;

    /// <summary>
    /// Starts from command-line style arguments (<c>--port 8000 --backend AzureStorage</c>, or any
    /// configuration key such as <c>--Pipeline:DataFolder /srv/data</c>). Options are validated first;
    /// a bad value throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> before anything listens.
    /// </summary>
    public static async Task<StandaloneHost> StartAsync(string[] args, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.AddStandaloneConfiguration(args);
        var options = builder.AddStandaloneHostOptions();

        var sidecar = await SidecarServer.StartAsync(options, builder.CreateSidecarLogging(), cancellationToken);
        var channel = GrpcChannel.ForAddress(sidecar.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        try
        {
            builder.AddStandaloneApi(options);
            builder.AddDurableTaskOverSidecar(channel, options);
            configureServices?.Invoke(builder.Services);

            var app = builder.Build();
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            app.UseRateLimiter();
            app.MapEpisodePipelineApi();
            app.MapApiReference();
            await app.StartAsync(cancellationToken);
            return new StandaloneHost(app, sidecar, channel);
        }
        catch
        {
            await sidecar.DisposeAsync();
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Waits until Ctrl+C or SIGTERM.</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _channel.ShutdownAsync();
        await _sidecar.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        await _sidecar.DisposeAsync();
        _channel.Dispose();
    }
}
