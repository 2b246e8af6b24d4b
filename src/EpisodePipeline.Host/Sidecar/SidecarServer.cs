using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using EpisodePipeline.Host.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace EpisodePipeline.Host.Sidecar;

/// <summary>
/// The durable engine of the standalone host: Durable Task's gRPC sidecar (<see cref="TaskHubGrpcServer"/>)
/// over a DurableTask.Core backend, served by its own small Kestrel app on loopback, HTTP/2 only (gRPC
/// without TLS). It is started before the app that holds the worker and client and stopped after it;
/// the other order leaves the worker's stream open and shutdown waits 30 s for it.
/// </summary>
internal sealed class SidecarServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TunedOrchestrationService _service;
    private readonly ILoggerFactory _loggerFactory;
    private int _stopped;

    private SidecarServer(WebApplication app, TunedOrchestrationService service, ILoggerFactory loggerFactory, Uri address)
    {
        _app = app;
        _service = service;
        _loggerFactory = loggerFactory;
        Address = address;
    }

    /// <summary>Where the worker and client connect (<c>http://127.0.0.1:PORT</c>).</summary>
    public Uri Address { get; }

    /// <summary>Activity lock renewals so far (Azure Storage).</summary>
    public long ActivityLockRenewals => _service.Renewals;

    /// <summary>Orchestration work items dropped because their instance had been purged (<see cref="TunedOrchestrationService"/>).</summary>
    public long OrphansDropped => _service.OrphansDropped;

    /// <summary>Starts the sidecar; it owns <paramref name="loggerFactory"/> from here on.</summary>
    public static async Task<SidecarServer> StartAsync(StandaloneHostOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        // Ctrl+C and SIGTERM belong to the API app, which stops first and then stops this one; if both
        // reacted to the signal, the sidecar could go first and the worker's shutdown would hang on it.
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();

        var backend = CreateBackend(options, loggerFactory);
        // The sidecar's CreateTaskHub call is fire-and-forget; make sure the hub exists before any work.
        await backend.CreateIfNotExistsAsync();

        var service = new TunedOrchestrationService(
            backend,
            // Check often enough that a lock is renewed at least twice before it would lapse.
            options.Backend == DurableBackend.AzureStorage ? TimeSpan.FromSeconds(Math.Min(5, options.ActivityLockSeconds / 4.0)) : null,
            dropOrphanedMessages: options.Backend == DurableBackend.InMemory,
            loggerFactory.CreateLogger<TunedOrchestrationService>());

        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton((IOrchestrationServiceClient)backend);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerAndDispatcher);
        // A singleton: it holds the one worker's stream and the work items in flight.
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new Uri(bound.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        loggerFactory.CreateLogger<SidecarServer>().Started(options.Backend.ToString(), options.TaskHub, address);
        return new SidecarServer(app, service, loggerFactory, address);
    }

    /// <summary>Call after the worker app has stopped.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        // The sidecar's own stop waits for in-flight work items before stopping the backend; stop it now so
        // Azure Storage partition leases are released and a restart does not wait for them to expire.
        await _service.StopAsync(isForced: true);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        await _service.DisposeAsync();
        _loggerFactory.Dispose();
    }

    private static IOrchestrationService CreateBackend(StandaloneHostOptions options, ILoggerFactory loggerFactory) => options.Backend switch
    {
        DurableBackend.InMemory => new InMemoryOrchestrationService(loggerFactory),
        DurableBackend.AzureStorage => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnectionString),
            LoggerFactory = loggerFactory,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            // One host owns the task hub; the app lease would only delay a restart until it expires.
            UseAppLease = false,
            // Idle pollers back off to 2 s instead of 30 s, so a job submitted to an idle host starts promptly.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(2),
            // Short, because locks are renewed while an activity runs: after a crash its work is redelivered soon.
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.ActivityLockSeconds),
            // An orchestration episode takes milliseconds; after a crash in the middle of one, its control-queue
            // messages come back after this instead of the default 5 minutes. Not renewed, so it keeps a margin.
            ControlQueueVisibilityTimeout = TimeSpan.FromMinutes(1),
            ThrowExceptionOnInvalidDedupeStatus = true,
            // Azurite on two busy cores answers partition-table writes slower than the 2 s default.
            PartitionTableOperationTimeout = TimeSpan.FromSeconds(10),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "Unknown durable backend."),
    };
}

/// <summary>A host lifetime that ignores process signals: its owner decides when it stops.</summary>
internal sealed class ExternallyControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
