using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// Whisper in a long-lived child process (<c>EpisodePipeline.WhisperWorker</c>), so no model file, media or
/// slice can take the host down: the model is checked in managed code before native code sees it
/// (<see cref="GgmlModelFile"/>), slices too short for whisper.cpp never reach it, and whatever still crashes
/// native code kills the worker, failing the requests it held with <see cref="TranscriptionWorkerCrashedException"/>.
/// </summary>
/// <remarks>
/// The worker starts on first use, loads the model once and serves up to <c>Pipeline:Whisper:GpuConcurrency</c>
/// requests at once. It is restarted on the next request after it died, and when the model file changed on
/// disk (path, size or time), so a replaced model is picked up without restarting the host; the old worker
/// finishes what it holds and exits. It exits when this process exits (its stdin closes) and on
/// <see cref="Dispose"/>.
/// </remarks>
public sealed class WhisperProcessTranscriber : ITranscriber, IDisposable
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(5);

    private readonly WhisperOptions _options;
    private readonly string _modelPath;
    private readonly ILogger<WhisperProcessTranscriber> _logger;
    private readonly SemaphoreSlim _gate;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly SemaphoreSlim _isolation = new(1, 1);
    private readonly List<WhisperWorkerProcess> _retired = [];
    private WhisperWorkerProcess? _worker;
    private ModelFileKey? _validated;
    private int _modelLoads;
    private bool _disposed;

    public WhisperProcessTranscriber(IOptions<PipelineOptions> options, ILogger<WhisperProcessTranscriber> logger)
    {
        _options = options.Value.Whisper;
        _modelPath = options.Value.Resolve(_options.ModelPath);
        _logger = logger;
        _gate = new SemaphoreSlim(_options.GpuConcurrency, _options.GpuConcurrency);
    }

    /// <summary>How many times a worker of this transcriber loaded the model (1 after first use, unless it died or the model changed).</summary>
    public int ModelLoads => Volatile.Read(ref _modelLoads);

    /// <summary>The running worker's process id, if one is running.</summary>
    internal int? WorkerProcessId => _worker is { IsAlive: true } worker ? worker.ProcessId : null;

    /// <summary>Extra environment for workers started from now on; tests use it for the worker's crash hook.</summary>
    internal Dictionary<string, string> WorkerEnvironment { get; } = [];

    public string SettingsFingerprint
    {
        get
        {
            var model = new FileInfo(_modelPath);
            var identity = $"{model.FullName}|{(model.Exists ? model.Length : -1)}|{(model.Exists ? model.LastWriteTimeUtc.Ticks : 0)}|{_options.Language}|{_options.SegmentSeconds}|{_options.OverlapSeconds}";
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        }
    }

    /// <summary>Checks the model file (managed, fast) and makes sure a worker has loaded it; the error names the path.</summary>
    public void EnsureModelLoaded() => WorkerAsync(CancellationToken.None).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(WavSlice slice, CancellationToken cancellationToken)
    {
        if (slice.SampleCount < WorkerProtocol.MinimumSamples)
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var worker = await WorkerAsync(cancellationToken);
            return await worker.TranscribeAsync(slice, cancellationToken);
        }
        catch (TranscriptionWorkerCrashedException crash) when (crash.OtherRequestsInFlight > 0)
        {
            // Which of the requests it held crashed the worker is unknown; try again alone, below.
        }
        finally
        {
            _gate.Release();
        }

        return await TranscribeAloneAsync(slice, cancellationToken);
    }

    /// <summary>
    /// Runs one request with nothing else in the worker, so a slice that did not crash it is not blamed (it
    /// succeeds) and one that did crashes it on its own, with a message that says so.
    /// </summary>
    private async Task<IReadOnlyList<TranscriptSegment>> TranscribeAloneAsync(WavSlice slice, CancellationToken cancellationToken)
    {
        await _isolation.WaitAsync(cancellationToken);
        var held = 0;
        try
        {
            for (; held < _options.GpuConcurrency; held++)
            {
                await _gate.WaitAsync(cancellationToken);
            }

            var worker = await WorkerAsync(cancellationToken);
            return await worker.TranscribeAsync(slice, cancellationToken);
        }
        finally
        {
            if (held > 0)
            {
                _gate.Release(held);
            }

            _isolation.Release();
        }
    }

    /// <summary>The running worker for the model file as it is now, started (and the model checked) if needed.</summary>
    private async Task<WhisperWorkerProcess> WorkerAsync(CancellationToken cancellationToken)
    {
        WhisperWorkerProcess worker;
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var model = ModelFileKey.Of(_modelPath);
            if (_worker is { IsAlive: true } running && running.Model == model)
            {
                worker = running;
            }
            else
            {
                if (_validated != model)
                {
                    GgmlModelFile.Validate(_modelPath);
                    _validated = model;
                }

                if (_worker is { } previous)
                {
                    if (previous.IsAlive)
                    {
                        TranscriptionLog.ModelChanged(_logger, _modelPath, previous.ProcessId);
                    }

                    previous.Retire();
                    _retired.Add(previous);
                    _retired.RemoveAll(w => !w.IsAlive && DisposeDead(w));
                }

                _worker = worker = WhisperWorkerProcess.Start(Command(), model, _logger);
            }
        }
        finally
        {
            _startLock.Release();
        }

        try
        {
            await worker.Ready.WaitAsync(LoadTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ModelUnavailableException(
                $"The Whisper worker did not finish loading the model at '{_modelPath}' ({GgmlModelFile.ModelPathKey}) within {LoadTimeout.TotalMinutes} minutes.");
        }

        if (worker.Ready.IsCompletedSuccessfully && Interlocked.CompareExchange(ref worker.Counted, 1, 0) == 0)
        {
            Interlocked.Increment(ref _modelLoads);
        }

        return worker;
    }

    private static bool DisposeDead(WhisperWorkerProcess worker)
    {
        worker.Dispose();
        return true;
    }

    private WhisperWorkerCommand Command()
    {
        var dll = WhisperWorkerCommand.WorkerPath;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException(
                $"The Whisper worker is not at '{dll}'. A host must reference src/EpisodePipeline.WhisperWorker so the build copies it next to the host.");
        }

        string[] arguments =
        [
            dll,
            "--model", _modelPath,
            "--threads", _options.Threads.ToString(CultureInfo.InvariantCulture),
            "--language", _options.Language,
            "--concurrency", _options.GpuConcurrency.ToString(CultureInfo.InvariantCulture),
        ];
        return new WhisperWorkerCommand(WhisperWorkerCommand.DotnetHost(), arguments, new Dictionary<string, string>(WorkerEnvironment));
    }

    public void Dispose()
    {
        _startLock.Wait();
        try
        {
            _disposed = true;
            _worker?.Dispose();
            _worker = null;
            foreach (var worker in _retired)
            {
                worker.Dispose();
            }

            _retired.Clear();
        }
        finally
        {
            _startLock.Release();
        }
    }
}
