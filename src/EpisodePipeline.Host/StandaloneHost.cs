using System.ComponentModel.DataAnnotations;
using EpisodePipeline.Host.Api;
using EpisodePipeline.Host.Options;
using EpisodePipeline.Host.Sidecar;
using EpisodePipeline.Http;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host;

/// <summary>
/// The standalone host: the whole HTTP contract plus the durable workflow, without Azure Functions.
/// Start order is sidecar, then the app with the worker and client; stop order is the reverse.
/// </summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--port"] = "Host:Port",
        ["--address"] = "Host:Address",
        ["--api-key"] = "Host:ApiKey",
        ["--backend"] = "Host:Backend",
        ["--storage"] = "Host:StorageConnectionString",
        ["--task-hub"] = "Host:TaskHub",
        ["--config"] = "ConfigPath",
    };

    // Framework chatter at Warning; the pipeline's own progress at Information. Configuration can change both.
    private static readonly Dictionary<string, string?> QuietLogging = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Grpc"] = "Warning",
        ["Logging:LogLevel:DurableTask"] = "Warning",
    };

    private readonly WebApplication _app;
    private readonly SidecarServer _sidecar;
    private readonly GrpcChannel _channel;
    private int _stopped;

    private StandaloneHost(WebApplication app, SidecarServer sidecar, GrpcChannel channel)
    {
        _app = app;
        _sidecar = sidecar;
        _channel = channel;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Where the HTTP API listens.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Activity lock renewals the sidecar has made so far (Azure Storage only).</summary>
    internal long ActivityLockRenewals => _sidecar.ActivityLockRenewals;

    /// <summary>
    /// Starts from command-line style arguments (<c>--port 8000 --backend AzureStorage</c>, or any
    /// configuration key such as <c>--Pipeline:DataFolder /srv/data</c>). Options are validated first;
    /// a bad value throws before anything listens.
    /// </summary>
    public static async Task<StandaloneHost> StartAsync(string[] args, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(QuietLogging);
        var commandLine = new ConfigurationBuilder().AddCommandLine(args, Switches).Build();
        builder.Configuration.AddPipelineConfiguration(commandLine["ConfigPath"]);
        builder.Configuration.AddConfiguration(commandLine);

        var options = builder.Configuration.GetSection(StandaloneHostOptions.Section).Get<StandaloneHostOptions>() ?? new StandaloneHostOptions();
        Validate(options);

        builder.Services.AddOptions<StandaloneHostOptions>().BindConfiguration(StandaloneHostOptions.Section);
        builder.Services.AddProblemDetails();
        builder.Services.AddEpisodePipeline(new HostFacts(
            "standalone",
            options.Backend == DurableBackend.InMemory ? "in-memory" : "azure-storage",
            options.MaxConcurrentActivities));
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            if (options.IsLoopback)
            {
                k.Listen(System.Net.IPAddress.Loopback, options.Port);
            }
            else
            {
                k.Listen(options.Address is "*" or "+" ? System.Net.IPAddress.Any : System.Net.IPAddress.Parse(options.Address), options.Port);
            }
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        configureServices?.Invoke(builder.Services);

        var sidecarLogging = LoggerFactory.Create(l => l
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddSimpleConsole(c => c.SingleLine = true));
        var sidecar = await SidecarServer.StartAsync(options, sidecarLogging, cancellationToken);
        var channel = GrpcChannel.ForAddress(sidecar.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        try
        {
            builder.Services.AddDurableTaskWorker(b =>
            {
                b.AddTasks(r => r.AddEpisodePipelineTasks());
                b.UseGrpc(channel);
                b.Configure(o =>
                {
                    o.Concurrency.MaximumConcurrentActivityWorkItems = options.MaxConcurrentActivities;
                    o.Concurrency.MaximumConcurrentOrchestrationWorkItems = options.MaxConcurrentOrchestrations;
                });
            });
            builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));

            var app = builder.Build();
            app.UseStatusCodePages();
            app.MapEpisodePipelineApi();
            app.MapSite();
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

    private static void Validate(StandaloneHostOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(StandaloneHostOptions.Section, typeof(StandaloneHostOptions),
                results.Select(r => $"{StandaloneHostOptions.Section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
