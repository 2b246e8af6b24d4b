using System.Security.Cryptography;
using System.Text;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whisper.net;

namespace EpisodePipeline.Services;

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
    private readonly Lazy<WhisperFactory> _factory;
    private int _modelLoads;

    public WhisperTranscriber(IOptions<PipelineOptions> options, ILogger<WhisperTranscriber> logger)
    {
        _options = options.Value.Whisper;
        _modelPath = options.Value.Resolve(_options.ModelPath);
        _logger = logger;
        _gate = new SemaphoreSlim(_options.GpuConcurrency, _options.GpuConcurrency);
        _factory = new Lazy<WhisperFactory>(LoadModel, LazyThreadSafetyMode.ExecutionAndPublication);
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

    public void EnsureModelLoaded()
    {
        try
        {
            _ = _factory.Value;
        }
        catch (ModelUnavailableException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Lazy caches the exception; a model placed later needs a restart, which the message says.
            throw new ModelUnavailableException(ex.Message, ex);
        }
    }

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(float[] samples, CancellationToken cancellationToken)
    {
        EnsureModelLoaded();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var builder = _factory.Value.CreateBuilder()
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
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }

        _gate.Dispose();
    }

    private WhisperFactory LoadModel()
    {
        if (!File.Exists(_modelPath))
        {
            throw new ModelUnavailableException(
                $"Whisper model not found at '{_modelPath}' (Pipeline:Whisper:ModelPath). " +
                "Get one with 'episodepipeline models download base.en' or place a ggml model file there, then restart the host.");
        }

        try
        {
            var factory = WhisperFactory.FromPath(_modelPath);
            Interlocked.Increment(ref _modelLoads);
            Log.ModelLoaded(_logger, _modelPath);
            return factory;
        }
        catch (Exception ex)
        {
            throw new ModelUnavailableException(
                $"Whisper model at '{_modelPath}' (Pipeline:Whisper:ModelPath) could not be loaded: {ex.Message}. " +
                "Replace it with a ggml model, e.g. 'episodepipeline models download base.en', then restart the host.", ex);
        }
    }
}
