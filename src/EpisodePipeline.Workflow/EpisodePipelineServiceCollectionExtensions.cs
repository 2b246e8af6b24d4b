using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Options;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Enrich;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.Services.Webhooks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

namespace EpisodePipeline;

/// <summary>The composition root both hosts call.</summary>
public static class EpisodePipelineServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>config/pipeline.yaml</c> (if present) below the sources already added, then lets
    /// environment variables override it (<c>Pipeline__Whisper__ModelPath</c>).
    /// </summary>
    public static IConfigurationBuilder AddPipelineConfiguration(this IConfigurationBuilder builder, string? configPath = null)
    {
        var path = Path.GetFullPath(configPath ?? Path.Combine("config", "pipeline.yaml"));
        if (configPath is not null && !File.Exists(path))
        {
            throw new FileNotFoundException($"Configuration file '{path}' does not exist.", path);
        }

        return builder.AddYamlFile(path, optional: true, reloadOnChange: false).AddEnvironmentVariables();
    }

    /// <summary>
    /// Registers options (validated at start), the outside-tool services, the job starter, the activities
    /// and the start-up sweep of stale temporary files. The HTTP contract registers itself (<c>AddEpisodePipelineApi</c>).
    /// </summary>
    public static IServiceCollection AddEpisodePipeline(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>()
            .BindConfiguration(PipelineOptions.Section)
            .PostConfigure(o =>
            {
                o.Input.ApplyDefaults();
                WhisperDefaults.Apply(o.Whisper, Environment.ProcessorCount, cuda: WhisperDefaults.Runtime == "Cuda");
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, BatchOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DataLayout>();
        services.TryAddSingleton<EpisodeCatalog>();
        services.TryAddSingleton(_ => new FfmpegProbe());
        services.TryAddSingleton<IMediaProbe>(sp => sp.GetRequiredService<FfmpegProbe>());
        services.TryAddSingleton<IAudioExtractor, FfmpegAudioExtractor>();
        services.TryAddSingleton<WhisperProcessTranscriber>();
        services.TryAddSingleton<ITranscriber>(sp => sp.GetRequiredService<WhisperProcessTranscriber>());
        services.TryAddSingleton<IEnricher, OllamaEnricher>();
        AddOllamaHttpClient(services);
        services.AddHostedService<WhisperSettingsReporter>();
        services.TryAddSingleton<TempFileSweeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TempFileSweeper>(sp => sp.GetRequiredService<TempFileSweeper>()));
        services.TryAddSingleton<EpisodeJobs>();
        services.TryAddSingleton<JobRetention>();
        services.TryAddSingleton<BatchJobs>();
        services.TryAddSingleton<JobIndex>();
        services.TryAddSingleton<SiteLayout>();
        services.TryAddSingleton<ITemplateRenderer, ScribanTemplateRenderer>();
        services.TryAddSingleton<IEpisodeRenderer, EpisodeRenderer>();
        services.AddHostedService<TemplateCheck>();

        services.TryAddTransient<PrepareTranscriptionActivity>();
        services.TryAddTransient<ExtractAudioActivity>();
        services.TryAddTransient<PlanSegmentsActivity>();
        services.TryAddTransient<TranscribeSegmentActivity>();
        services.TryAddTransient<MergeTranscriptActivity>();
        services.TryAddTransient<PrepareEnrichmentActivity>();
        services.TryAddTransient<EnrichPartActivity>();
        services.TryAddTransient<ReduceEnrichmentActivity>();
        services.TryAddTransient<RenderEpisodeActivity>();
        services.TryAddTransient<PlanBatchActivity>();
        // ClaimEpisodeActivity is not registered: it needs the host's DurableTaskClient, which the Functions app gets
        // from a binding, not from its services (and ValidateOnBuild would refuse the registration there).
        services.AddWebhookDelivery();
        return services;
    }

    /// <summary>
    /// Runs <see cref="JobRetentionService"/>: purges finished jobs older than <c>Pipeline:Jobs:RetentionDays</c> at
    /// start and hourly. For a host whose <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/> comes from the
    /// service provider; the Functions app, whose client comes only through a binding, uses a timer function instead.
    /// </summary>
    public static IServiceCollection AddJobRetention(this IServiceCollection services)
    {
        services.AddHostedService<JobRetentionService>();
        return services;
    }

    /// <summary>
    /// Ollama's HTTP client: a time-out per attempt (the model writes its whole answer in one response),
    /// and retries with exponential back-off for time-outs, connection errors, 5xx, 408 and 429. Other
    /// statuses (404 model not found, 400 bad request) are not retried.
    /// </summary>
    private static void AddOllamaHttpClient(IServiceCollection services)
    {
        services.AddHttpClient(OllamaEnricher.HttpClientName, (sp, client) =>
            {
                var ollama = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Ollama;
                client.BaseAddress = new Uri(ollama.Url.TrimEnd('/') + "/");
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
            })
            .AddResilienceHandler("ollama", (pipeline, context) =>
            {
                var ollama = context.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value.Ollama;
                if (ollama.HttpRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = ollama.HttpRetries,
                        Delay = TimeSpan.FromSeconds(ollama.RetryDelaySeconds),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                }

                pipeline.AddTimeout(TimeSpan.FromSeconds(ollama.RequestTimeoutSeconds));
            });
    }

    /// <summary>Registers the orchestrators and activities with a Durable Task SDK worker.</summary>
    public static DurableTaskRegistry AddEpisodePipelineTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<ProcessEpisodeOrchestrator>()
        .AddOrchestrator<NightlyBatchOrchestrator>()
        .AddActivity<PlanBatchActivity>()
        .AddActivity<ClaimEpisodeActivity>()
        .AddActivity<PrepareTranscriptionActivity>()
        .AddActivity<ExtractAudioActivity>()
        .AddActivity<PlanSegmentsActivity>()
        .AddActivity<TranscribeSegmentActivity>()
        .AddActivity<MergeTranscriptActivity>()
        .AddActivity<PrepareEnrichmentActivity>()
        .AddActivity<EnrichPartActivity>()
        .AddActivity<ReduceEnrichmentActivity>()
        .AddActivity<RenderEpisodeActivity>()
        .AddWebhookTasks();
}
