using EpisodePipeline.Activities;
using EpisodePipeline.Http;
using EpisodePipeline.Options;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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

    /// <summary>Registers options (validated at start), the outside-tool services, activities and the HTTP contract.</summary>
    public static IServiceCollection AddEpisodePipeline(this IServiceCollection services, HostFacts host)
    {
        services.AddOptions<PipelineOptions>()
            .BindConfiguration(PipelineOptions.Section)
            .PostConfigure(o => o.Input.ApplyDefaults())
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DataLayout>();
        services.TryAddSingleton<EpisodeCatalog>();
        services.TryAddSingleton<FfmpegMediaTools>();
        services.TryAddSingleton<IMediaProbe>(sp => sp.GetRequiredService<FfmpegMediaTools>());
        services.TryAddSingleton<IAudioExtractor>(sp => sp.GetRequiredService<FfmpegMediaTools>());
        services.TryAddSingleton<WhisperProcessTranscriber>();
        services.TryAddSingleton<ITranscriber>(sp => sp.GetRequiredService<WhisperProcessTranscriber>());
        services.TryAddSingleton(host);
        services.TryAddSingleton<PipelineApi>();

        services.TryAddTransient<PrepareTranscriptionActivity>();
        services.TryAddTransient<ExtractAudioActivity>();
        services.TryAddTransient<PlanSegmentsActivity>();
        services.TryAddTransient<TranscribeSegmentActivity>();
        services.TryAddTransient<MergeTranscriptActivity>();
        return services;
    }

    /// <summary>Registers the orchestrator and activities with a Durable Task SDK worker.</summary>
    public static DurableTaskRegistry AddEpisodePipelineTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<ProcessEpisodeOrchestrator>()
        .AddActivity<PrepareTranscriptionActivity>()
        .AddActivity<ExtractAudioActivity>()
        .AddActivity<PlanSegmentsActivity>()
        .AddActivity<TranscribeSegmentActivity>()
        .AddActivity<MergeTranscriptActivity>();
}
