using EpisodePipeline.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>Logs the Whisper settings in force (configured or derived by <see cref="WhisperDefaults"/>) when a host starts.</summary>
internal sealed class WhisperSettingsReporter(IOptions<PipelineOptions> options, ILogger<WhisperSettingsReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var whisper = options.Value.Whisper;
        logger.WhisperSettings(WhisperDefaults.Runtime, whisper.GpuConcurrency, whisper.Threads, Environment.ProcessorCount, whisper.ParallelSegments, whisper.SegmentSeconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
