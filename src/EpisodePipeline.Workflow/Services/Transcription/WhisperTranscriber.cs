using System.Security.Cryptography;
using System.Text;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whisper.net;

namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// Whisper.net over one <see cref="WhisperFactory"/> per process: the model is loaded once, on first
/// use, and each call gets its own processor. A semaphore bounds how many processors run at once,
/// since on a GPU each holds its own working memory.
/// </summary>
public sealed class WhisperTranscriber : ITranscriber, IDisposable
{
    private readonly WhisperOptions _options;
    private readonly string _modelPath;
    private readonly ILogger<WhisperTranscriber> _logger;
    private readonly SemaphoreSlim _gate;
    private readonly Lock _loadLock = new();
    private WhisperFactory? _factory;
    private int _modelLoads;

    public WhisperTranscriber(IOptions<PipelineOptions> options, ILogger<WhisperTranscriber> logger)
    {
        _options = options.Value.Whisper;
        _modelPath = options.Value.Resolve(_options.ModelPath);
        _logger = logger;
        _gate = new SemaphoreSlim(_options.GpuConcurrency, _options.GpuConcurrency);
    }

    /// <summary>How many times this process loaded the model (1 after first use, ever).</summary>
    public int ModelLoads => Volatile.Read(ref _modelLoads);

    public string SettingsFingerprint
    {
        get
        {
            var model = new FileInfo(_modelPath);
            var identity = $"{model.FullName}|{(model.Exists ? model.Length : -1)}|{(model.Exists ? model.LastWriteTimeUtc.Ticks : 0)}|{_options.Language}|{_options.SegmentSeconds}|{_options.OverlapSeconds}";
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        }
    }

    public void EnsureModelLoaded() => _ = Factory;

    /// <summary>Loads the model on first use; a failed load is tried again next time, so a model put in place later is picked up.</summary>
    private WhisperFactory Factory
    {
        get
        {
            if (Volatile.Read(ref _factory) is { } loaded)
            {
                return loaded;
            }

            lock (_loadLock)
            {
                return _factory ??= LoadModel();
            }
        }
    }

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(float[] samples, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var builder = Factory.CreateBuilder()
                .WithThreads(_options.Threads)
                .WithLanguage(_options.Language)
                .WithTemperatureInc(0);
            await using var processor = builder.Build();
            var segments = new List<TranscriptSegment>();
            await foreach (var segment in processor.ProcessAsync(samples, cancellationToken))
            {
                var text = segment.Text.Trim();
                if (text.Length > 0)
                {
                    segments.Add(new TranscriptSegment(segment.Start.TotalSeconds, segment.End.TotalSeconds, text));
                }
            }

            return segments;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _factory?.Dispose();

        _gate.Dispose();
    }

    private WhisperFactory LoadModel()
    {
        if (!File.Exists(_modelPath))
        {
            throw new ModelUnavailableException(
                $"Whisper model not found at '{_modelPath}' (Pipeline:Whisper:ModelPath). " +
                "Get one with 'dotnet run --project src/EpisodePipeline.Host -- models download base.en' (needs internet) or copy a ggml model file there.");
        }

        try
        {
            var factory = WhisperFactory.FromPath(_modelPath);
            Interlocked.Increment(ref _modelLoads);
            _logger.ModelLoaded(_modelPath);
            return factory;
        }
        catch (Exception ex)
        {
            throw new ModelUnavailableException(
                $"Whisper model at '{_modelPath}' (Pipeline:Whisper:ModelPath) could not be loaded: {ex.Message}. " +
                "Replace it with a ggml model, e.g. 'dotnet run --project src/EpisodePipeline.Host -- models download base.en'.", ex);
        }
    }
}
