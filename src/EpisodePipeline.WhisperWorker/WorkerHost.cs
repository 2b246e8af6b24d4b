using System.Runtime.InteropServices;
using System.Text.Json;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Whisper.net;

namespace EpisodePipeline.WhisperWorker;

/// <summary>
/// Loads the model once, then answers transcription requests until stdin closes. Up to
/// <see cref="WorkerSettings.Concurrency"/> requests run at once, each on its own processor over the one
/// <see cref="WhisperFactory"/>. When stdin closes (the host exited, crashed or let go of this worker) the
/// process exits at once: nobody is left to read the answers.
/// </summary>
internal static class WorkerHost
{
    /// <summary>Test hook, read once at start: <c>segv</c> or <c>abort</c> crashes on every request;
    /// <c>segv:N</c> / <c>abort:N</c> only on requests of exactly N samples. Never set outside tests.</summary>
    public const string CrashVariable = "EPISODEPIPELINE_WHISPERWORKER_TEST_CRASH";

    public static async Task<int> RunAsync(WorkerSettings settings, Stream input, Stream output, TextWriter log)
    {
        // Nothing but protocol frames may reach stdout.
        Console.SetOut(log);
        var crash = CrashRule.FromEnvironment();
        NativeHeap.ReturnLargeBlocksAtOnce();

        WhisperFactory factory;
        try
        {
            GgmlModelFile.Validate(settings.ModelPath);
            // Flash attention never materialises the encoder's 1500 x 1500 attention scores: each processor's working
            // memory shrinks, which matters once the defaults run a processor per core (WhisperDefaults).
            factory = WhisperFactory.FromPath(settings.ModelPath, new WhisperFactoryOptions { UseFlashAttention = true });

            // A model can pass FromPath and still fail when the first processor is made; find out now.
            using (factory.CreateBuilder().WithThreads(settings.Threads).Build())
            {
            }
        }
        catch (Exception ex)
        {
            var message = ex is ModelUnavailableException ? ex.Message : $"Whisper could not load the model at '{settings.ModelPath}' ({GgmlModelFile.ModelPathKey}): {ex.Message}";
            await log.WriteLineAsync($"whisper-worker: {message}");
            await WorkerProtocol.WriteAsync(output, WorkerFrameKind.LoadFailed, 0, message, CancellationToken.None);
            return 2;
        }

        await log.WriteLineAsync($"whisper-worker: loaded {settings.ModelPath} ({settings.Concurrency} at once, {settings.Threads} threads each)");
        using var writeLock = new SemaphoreSlim(1, 1);
        using var gate = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        await WorkerProtocol.WriteAsync(output, WorkerFrameKind.Ready, 0, settings.ModelPath, CancellationToken.None);

        while (await WorkerProtocol.ReadAsync(input, CancellationToken.None) is { } request)
        {
            WavSlice slice;
            try
            {
                slice = WorkerProtocol.ReadSlice(request);
            }
            catch (InvalidDataException ex)
            {
                await log.WriteLineAsync($"whisper-worker: {ex.Message}");
                return 3;
            }

            await gate.WaitAsync();
            _ = Task.Run(async () =>
            {
                try
                {
                    // Read once a processor is free, so the worker holds the samples of at most Concurrency slices.
                    using var samples = NativeSamples.Read(slice);
                    crash.MaybeCrash(samples.Length);

                    // The host never sends these, but the file may have become shorter since it looked; whisper.cpp
                    // reads 200 samples of any array for its padding.
                    var reply = samples.Length < WorkerProtocol.MinimumSamples ? "[]" : await TranscribeAsync(factory, settings, samples);
                    await SendAsync(writeLock, output, WorkerFrameKind.Segments, request.Id, reply);
                }
                catch (Exception ex)
                {
                    await SendAsync(writeLock, output, WorkerFrameKind.Failed, request.Id, $"{ex.GetType().Name}: {ex.Message}");
                }
                finally
                {
                    gate.Release();
                }
            });
        }

        // stdin closed: exit without waiting for requests in flight; their answers have no reader. The factory
        // is freed only when idle: freeing it under a running processor is itself a native crash.
        await log.WriteLineAsync("whisper-worker: input closed, exiting");
        if (gate.CurrentCount == settings.Concurrency)
        {
            factory.Dispose();
        }

        return 0;
    }

    private static async Task<string> TranscribeAsync(WhisperFactory factory, WorkerSettings settings, NativeSamples samples)
    {
        await using var processor = factory.CreateBuilder()
            .WithThreads(settings.Threads)
            .WithLanguage(settings.Language)
            .WithTemperatureInc(0) // the default 0.2 retries every window: 20x slower
            .Build();
        var segments = new List<TranscriptSegment>();
        // Whisper.net pins the memory and awaits whisper.cpp to the end; the samples outlive the processor.
        await foreach (var segment in processor.ProcessAsync(samples.Memory))
        {
            var text = segment.Text.Trim();
            if (text.Length > 0)
            {
                segments.Add(new TranscriptSegment(segment.Start.TotalSeconds, segment.End.TotalSeconds, text));
            }
        }

        return JsonSerializer.Serialize(segments);
    }

    private static async Task SendAsync(SemaphoreSlim writeLock, Stream output, WorkerFrameKind kind, long id, string text)
    {
        await writeLock.WaitAsync();
        try
        {
            await WorkerProtocol.WriteAsync(output, kind, id, text, CancellationToken.None);
        }
        catch (IOException)
        {
            // The host is gone; the read loop sees stdin close and exits.
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>The test-only crash: a real signal, as a native fault would raise, not a managed exception.</summary>
    private sealed class CrashRule(string? signal, int? samples)
    {
        private const int Sigsegv = 11;

        public static CrashRule FromEnvironment()
        {
            var value = Environment.GetEnvironmentVariable(CrashVariable);
            if (string.IsNullOrEmpty(value))
            {
                return new CrashRule(null, null);
            }

            var parts = value.Split(':');
            return new CrashRule(parts[0], parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        public void MaybeCrash(int sampleCount)
        {
            if (signal is null || (samples is { } only && only != sampleCount))
            {
                return;
            }

            Console.Error.WriteLine($"whisper-worker: test crash ({signal}) on a request of {sampleCount} samples");
            if (signal == "abort")
            {
                Environment.FailFast("test crash");
            }

            // Restore the default action first: .NET's own SIGSEGV handler would otherwise look for a managed fault.
            _ = Signal(Sigsegv, IntPtr.Zero);
            _ = Kill(Environment.ProcessId, Sigsegv);
            Thread.Sleep(Timeout.Infinite);
        }

        [DllImport("libc", EntryPoint = "kill")]
        private static extern int Kill(int pid, int signal);

        [DllImport("libc", EntryPoint = "signal")]
        private static extern IntPtr Signal(int signal, IntPtr handler);
    }
}
