using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Media;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Services.Transcription;

/// <summary>The identity of a model file: a replaced or rewritten file gets a new one.</summary>
internal readonly record struct ModelFileKey(string Path, long Length, DateTime LastWriteUtc)
{
    public static ModelFileKey Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new ModelFileKey(file.FullName, file.Length, file.LastWriteTimeUtc) : new ModelFileKey(file.FullName, -1, default);
    }
}

/// <summary>
/// One running <c>EpisodePipeline.WhisperWorker</c> child: a reader loop that matches answers to requests, and
/// when the child's stdout ends (it exited or was killed), fails every request still in flight with
/// <see cref="TranscriptionWorkerCrashedException"/>. The child exits when its stdin closes, so it cannot
/// outlive this process even if this process is killed.
/// </summary>
internal sealed class WhisperWorkerProcess : IDisposable
{
    private const int StderrLinesKept = 12;

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, (TaskCompletionSource<IReadOnlyList<TranscriptSegment>> Reply, int Samples)> _pending = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private readonly Lock _lock = new();
    private readonly Task _readLoop;
    private long _nextId;
    private bool _ended;
    private bool _retired;
    private int _disposed;

    /// <summary>Set once its model load has been counted by the transcriber.</summary>
    internal int Counted;

    private WhisperWorkerProcess(Process process, ModelFileKey model, ILogger logger)
    {
        _process = process;
        Model = model;
        _logger = logger;
        ProcessId = process.Id;
        process.ErrorDataReceived += (_, e) => OnStderr(e.Data);
        process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public ModelFileKey Model { get; }

    public int ProcessId { get; }

    /// <summary>False once the child's output has ended: it exited, crashed or was killed.</summary>
    public bool IsAlive
    {
        get
        {
            lock (_lock)
            {
                return !_ended;
            }
        }
    }

    /// <summary>Completes when the model is loaded; fails with <see cref="ModelUnavailableException"/> when it cannot be.</summary>
    public Task Ready => _ready.Task;

    public static WhisperWorkerProcess Start(WhisperWorkerCommand command, ModelFileKey model, ILogger logger)
    {
        var info = new ProcessStartInfo(command.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start the Whisper worker ({command.Program}).");
        TranscriptionLog.WorkerStarted(logger, process.Id, model.Path);
        return new WhisperWorkerProcess(process, model, logger);
    }

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(WavSlice slice, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<IReadOnlyList<TranscriptSegment>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_ended)
            {
                throw new TranscriptionWorkerCrashedException(CrashMessage(slice.SampleCount, 1));
            }

            _pending[id] = (reply, slice.SampleCount);
        }

        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                // Never cancelled half-way: a partial frame would garble every request after it.
                await WorkerProtocol.WriteTranscribeAsync(_process.StandardInput.BaseStream, id, slice, CancellationToken.None);
            }
            catch (IOException)
            {
                // The child is gone (broken pipe); the read loop sees its output end and fails this request.
            }
            finally
            {
                _writeLock.Release();
            }

            return await reply.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
            CloseIfRetiredAndIdle();
        }
    }

    /// <summary>No new requests will come: the child exits once those in flight are answered.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
        }

        CloseIfRetiredAndIdle();
    }

    private void CloseIfRetiredAndIdle()
    {
        lock (_lock)
        {
            if (!_retired || !_pending.IsEmpty || _ended)
            {
                return;
            }
        }

        CloseInput();
    }

    private void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            var output = _process.StandardOutput.BaseStream;
            while (await WorkerProtocol.ReadAsync(output, CancellationToken.None) is { } frame)
            {
                switch (frame.Kind)
                {
                    case WorkerFrameKind.Ready:
                        TranscriptionLog.ModelLoaded(_logger, Model.Path, ProcessId);
                        _ready.TrySetResult();
                        break;
                    case WorkerFrameKind.LoadFailed:
                        _ready.TrySetException(new ModelUnavailableException(frame.Text));
                        break;
                    case WorkerFrameKind.Segments when _pending.TryGetValue(frame.Id, out var request):
                        request.Reply.TrySetResult(JsonSerializer.Deserialize<List<TranscriptSegment>>(frame.Payload) ?? []);
                        break;
                    case WorkerFrameKind.Failed when _pending.TryGetValue(frame.Id, out var request):
                        request.Reply.TrySetException(new InvalidOperationException($"Whisper failed on a {Seconds(request.Samples)} slice: {frame.Text}"));
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or ObjectDisposedException)
        {
            OnStderr($"(host) reading the worker's output failed: {ex.Message}");
        }

        await EndAsync();
    }

    private async Task EndAsync()
    {
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Output closed but still running: a protocol error; do not leave it behind.
                Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        List<(TaskCompletionSource<IReadOnlyList<TranscriptSegment>> Reply, int Samples)> orphans;
        lock (_lock)
        {
            _ended = true;
            orphans = [.. _pending.Values];
        }

        var exit = ExitDescription(_process.ExitCode);
        if (!_ready.Task.IsCompleted)
        {
            _ready.TrySetException(new ModelUnavailableException(
                $"The Whisper worker process {exit} while loading the model at '{Model.Path}' ({GgmlModelFile.ModelPathKey}); the host is unaffected.{LastOutput()} " +
                $"Replace the model with a good one. {GgmlModelFile.HowToGetAModel}"));
        }

        var crashed = orphans.Count > 0 || (_process.ExitCode != 0 && Volatile.Read(ref _disposed) == 0);
        if (crashed)
        {
            TranscriptionLog.WorkerDied(_logger, ProcessId, $"{exit}; {orphans.Count} request(s) in flight.{LastOutput()}");
        }

        foreach (var orphan in orphans)
        {
            orphan.Reply.TrySetException(new TranscriptionWorkerCrashedException(CrashMessage(orphan.Samples, orphans.Count), orphans.Count - 1));
        }
    }

    private string CrashMessage(int samples, int inFlight)
    {
        var others = inFlight > 1 ? $" (with {inFlight - 1} other slice(s) in flight, any of which may have caused it)" : "";
        var exit = _process.HasExited ? ExitDescription(_process.ExitCode) : "exited";
        return $"The Whisper worker process {exit} while transcribing a {Seconds(samples)} slice{others}; the host is unaffected and the next request starts a new worker.{LastOutput()}";
    }

    private static string Seconds(int samples) => $"{(samples / 16000.0).ToString("F1", CultureInfo.InvariantCulture)} s";

    /// <summary>"exited with signal SIGSEGV (exit code 139)": .NET reports a child killed by signal N as 128 + N.</summary>
    internal static string ExitDescription(int exitCode)
    {
        string? signal = exitCode switch
        {
            132 => "SIGILL",
            134 => "SIGABRT",
            135 => "SIGBUS",
            136 => "SIGFPE",
            137 => "SIGKILL",
            139 => "SIGSEGV",
            143 => "SIGTERM",
            _ => null,
        };
        return signal is null || !OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()
            ? $"exited with exit code {exitCode}"
            : $"exited with signal {signal} (exit code {exitCode})";
    }

    private string LastOutput()
    {
        lock (_stderr)
        {
            var lines = _stderr.Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(3).ToList();
            return lines.Count == 0 ? "" : $" Its last output: {string.Join(" | ", lines)}";
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLinesKept)
            {
                _stderr.Dequeue();
            }
        }

        TranscriptionLog.WorkerOutput(_logger, ProcessId, line);
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <summary>Closes the child's stdin (it exits at once), and kills it if it has not gone within two seconds.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        CloseInput();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
        {
            Kill();
        }

        _readLoop.Wait(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _writeLock.Dispose();
    }
}

/// <summary>How to start the worker: <c>dotnet EpisodePipeline.WhisperWorker.dll --model ...</c>.</summary>
internal sealed record WhisperWorkerCommand(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    public const string WorkerAssembly = "EpisodePipeline.WhisperWorker.dll";

    /// <summary>
    /// The worker is found next to the running app: every host and test project references
    /// <c>src/EpisodePipeline.WhisperWorker</c>, so its .dll, .runtimeconfig.json, .deps.json and the native
    /// runtimes/ folder are copied into their output folders by the build (and by publish).
    /// </summary>
    public static string WorkerPath => Path.Combine(AppContext.BaseDirectory, WorkerAssembly);

    /// <summary>The <c>dotnet</c> muxer running this process, so the worker uses the same runtime.</summary>
    public static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (System.Environment.ProcessPath is { } self && string.Equals(Path.GetFileName(self), exe, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        // Started through an apphost (EpisodePipeline.Host, func's worker): the muxer is three folders above
        // the shared runtime, <root>/shared/Microsoft.NETCore.App/<version>/.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        if (File.Exists(Path.Combine(root, exe)))
        {
            return Path.Combine(root, exe);
        }

        return System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromSdk && File.Exists(fromSdk) ? fromSdk : exe;
    }
}
