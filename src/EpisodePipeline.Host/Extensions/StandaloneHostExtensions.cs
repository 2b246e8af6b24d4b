using EpisodePipeline.Host.Api;
using EpisodePipeline.Host.Api.OpenApi;
using EpisodePipeline.Host.Options;
using EpisodePipeline.Host.Scheduling;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Extensions;

/// <summary>The standalone host's wiring, one step per method; <see cref="StandaloneHost.StartAsync"/> reads as the list of steps.</summary>
internal static class StandaloneHostExtensions
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--port"] = "Host:Port",
        ["--address"] = "Host:Address",
        ["--api-key"] = "Host:ApiKey",
        ["--public-url"] = "Host:PublicUrl",
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
        // Resilience pipelines (Ollama) log every retried attempt with its stack trace; the job's own failure line
        // says what went wrong in one sentence.
        ["Logging:LogLevel:Polly"] = "Error",
    };

    /// <summary>Quiet framework logging, then <c>config/pipeline.yaml</c>, the environment, and the command line on top.</summary>
    public static void AddStandaloneConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddInMemoryCollection(QuietLogging);
        var commandLine = new ConfigurationBuilder().AddCommandLine(args, Switches).Build();
        builder.Configuration.AddPipelineConfiguration(commandLine["ConfigPath"]);
        builder.Configuration.AddConfiguration(commandLine);
    }

    /// <summary>
    /// Binds the <c>Host</c> options once, validated at start, and returns them. The sidecar and Kestrel need
    /// them before the app is built, so every option (the pipeline's too) is validated now, through the same
    /// registrations on a small provider: a bad value stops start-up, naming its key, before anything listens.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid.</exception>
    public static StandaloneHostOptions AddStandaloneHostOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostOptions();

        using var early = new ServiceCollection()
            .AddSingleton<IConfiguration>(builder.Configuration)
            .AddHostOptions()
            .AddEpisodePipeline()
            .BuildServiceProvider();
        try
        {
            early.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (AggregateException all) when (all.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Host and pipeline settings both wrong: one message with every key, as one bad section gives.
            var failures = all.InnerExceptions.Cast<OptionsValidationException>().ToList();
            throw new OptionsValidationException(failures[0].OptionsName, failures[0].OptionsType, [.. failures.SelectMany(f => f.Failures)]);
        }

        return early.GetRequiredService<IOptions<StandaloneHostOptions>>().Value;
    }

    /// <summary>The sidecar logs through its own factory: it outlives the app's.</summary>
    public static ILoggerFactory CreateSidecarLogging(this WebApplicationBuilder builder) => LoggerFactory.Create(l => l
        .AddConfiguration(builder.Configuration.GetSection("Logging"))
        .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
        .AddSimpleConsole(c => c.SingleLine = true));

    /// <summary>Kestrel on the configured address, problem details, the workflow and its HTTP contract, its rate limits and its OpenAPI document.</summary>
    public static void AddStandaloneApi(this WebApplicationBuilder builder, StandaloneHostOptions options)
    {
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            var address = options.IsLoopback ? System.Net.IPAddress.Loopback
                : options.Address is "*" or "+" ? System.Net.IPAddress.Any
                : System.Net.IPAddress.Parse(options.Address);
            k.Listen(address, options.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services.AddProblemDetails();
        builder.Services.AddEpisodePipeline();
        builder.Services.AddEpisodePipelineApi(
            new HostFacts("standalone", options.Backend == DurableBackend.InMemory ? "in-memory" : "azure-storage", options.MaxConcurrentActivities),
            // Links never come from the request's Host header: the configured public URL, else the bound
            // address where that is what clients use (loopback), else relative links.
            sp => options.PublicUrl is { } url ? new Uri(url)
                : options.IsLoopback ? BoundAddress(sp.GetRequiredService<IServer>())
                : null);
        builder.Services.AddApiRateLimits();
        builder.Services.AddApiReference();
    }

    /// <summary>
    /// The Durable Task worker (with the workflow's tasks and the host's limits) and client, both over the sidecar's
    /// channel, and what uses the client in the background: the job index's build at start, the job retention task
    /// and the nightly batch's scheduler.
    /// </summary>
    public static void AddDurableTaskOverSidecar(this WebApplicationBuilder builder, GrpcChannel channel, StandaloneHostOptions options)
    {
        builder.Services.AddHostedService<NightlyBatchScheduler>();
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
        builder.Services.AddHostedService<JobIndexWarmup>();
        builder.Services.AddJobRetention();
    }

    /// <summary>Where Kestrel listens, as a client on this machine calls it (a wildcard address becomes 127.0.0.1).</summary>
    public static Uri BoundAddress(IServer server) =>
        new(server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

    private static IServiceCollection AddHostOptions(this IServiceCollection services)
    {
        services.AddOptions<StandaloneHostOptions>()
            .BindConfiguration(StandaloneHostOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
