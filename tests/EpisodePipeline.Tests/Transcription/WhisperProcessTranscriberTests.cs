using System.Diagnostics;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Transcription;

/// <summary>
/// The real worker process with the tiny model and real speech: what it costs the host when native code
/// crashes (nothing), what never reaches native code, and how model files are picked up.
/// </summary>
public sealed class WhisperProcessTranscriberTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _folder = Directory.CreateTempSubdirectory("whisper-worker-test-").FullName;
    private readonly List<WhisperProcessTranscriber> _transcribers = [];
    private WavSlice _speech = null!;
    private WavSlice _speechTenTimes = null!;

    public async Task InitializeAsync()
    {
        var wav = Path.Combine(_folder, "speech.wav");
        await TestMedia.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", await TestMedia.SpeechWavAsync(), "-t", "6", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], CancellationToken.None);
        _speech = WavFile.Slice(wav, 0, 6);

        // 60 s: seconds of work, so a test can act while a slice is in the worker.
        var longer = Path.Combine(_folder, "speech-x10.wav");
        await TestMedia.RunAsync("ffmpeg", ["-v", "error", "-y", "-stream_loop", "9", "-i", wav, "-c:a", "pcm_s16le", longer], CancellationToken.None);
        _speechTenTimes = WavFile.Slice(longer, 0, 60);
        Assert.Equal(10 * _speech.SampleCount, _speechTenTimes.SampleCount);
    }

    private WhisperProcessTranscriber Transcriber(string modelPath, int concurrency = 1)
    {
        var options = new PipelineOptions { Root = _folder };
        options.Whisper.ModelPath = modelPath;
        options.Whisper.Threads = 1;
        options.Whisper.GpuConcurrency = concurrency;
        var transcriber = new WhisperProcessTranscriber(Microsoft.Extensions.Options.Options.Create(options), NullLogger<WhisperProcessTranscriber>.Instance);
        _transcribers.Add(transcriber);
        return transcriber;
    }

    private static async Task<IReadOnlyList<Models.TranscriptSegment>> TranscribeAsync(WhisperProcessTranscriber transcriber, WavSlice slice)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await transcriber.TranscribeAsync(slice, cts.Token);
    }

    [Fact]
    public async Task Transcribe_Speech_ReturnsSegmentsFromAWorkerThatLoadsTheModelOnce()
    {
        var transcriber = Transcriber(TestModel.Path);

        var first = await TranscribeAsync(transcriber, _speech);
        var pid = transcriber.WorkerProcessId;
        var second = await TranscribeAsync(transcriber, _speech);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.All(first, s => Assert.InRange(s.Start, 0, 30));
        Assert.NotNull(pid);
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.Equal(pid, transcriber.WorkerProcessId);
        Assert.Equal(1, transcriber.ModelLoads);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(1599)]
    public async Task Transcribe_EmptyOrShorterThanATenthOfASecond_ReturnsNoSegmentsWithoutNativeCode(int samples)
    {
        var transcriber = Transcriber(TestModel.Path);

        var segments = await TranscribeAsync(transcriber, _speech with { SampleCount = samples });

        Assert.Empty(segments);
        Assert.Null(transcriber.WorkerProcessId); // no worker was even started
        Assert.NotEmpty(await TranscribeAsync(transcriber, _speech));
    }

    [Fact]
    public async Task Transcribe_SliceOfAFileThatBecameShorter_TheWorkerReadsWhatRemains_AndNeverHandsWhisperTooFewSamples()
    {
        var transcriber = Transcriber(TestModel.Path);
        transcriber.EnsureModelLoaded();
        var pid = transcriber.WorkerProcessId;

        // The host saw 2 s, but only 100 samples are left in the file when the worker reads it.
        var segments = await TranscribeAsync(transcriber, _speech with { FirstSample = _speech.SampleCount - 100, SampleCount = 32000 });

        Assert.Empty(segments);
        Assert.Equal(pid, transcriber.WorkerProcessId); // no native crash
        Assert.NotEmpty(await TranscribeAsync(transcriber, _speech));
    }

    [Theory]
    [InlineData("segv", "SIGSEGV (exit code 139)")]
    [InlineData("abort", "SIGABRT (exit code 134)")]
    public async Task WorkerCrash_FailsThatCallWithTheSignal_HostSurvives_NextCallRunsOnANewWorker(string signal, string expected)
    {
        var transcriber = Transcriber(TestModel.Path);
        transcriber.WorkerEnvironment[EpisodePipeline.WhisperWorker.WorkerHost.CrashVariable] = $"{signal}:{_speech.SampleCount}";
        var shorter = _speech with { SampleCount = 32000 };
        Assert.NotEmpty(await TranscribeAsync(transcriber, shorter));
        var crashedPid = transcriber.WorkerProcessId!.Value;

        var error = await Assert.ThrowsAsync<TranscriptionWorkerCrashedException>(() => TranscribeAsync(transcriber, _speech));

        Assert.Contains($"exited with signal {expected}", error.Message);
        Assert.Contains("6.0 s slice", error.Message);
        Assert.Contains("the host is unaffected", error.Message);
        Assert.False(ProcessIsAlive(crashedPid));
        Assert.NotEmpty(await TranscribeAsync(transcriber, shorter));
        Assert.NotEqual(crashedPid, transcriber.WorkerProcessId);
        Assert.Equal(2, transcriber.ModelLoads);
    }

    [Fact]
    public async Task WorkerCrash_WithTwoSlicesInFlight_TheInnocentOneSucceeds_TheCulpritFailsAlone()
    {
        var transcriber = Transcriber(TestModel.Path, concurrency: 2);
        transcriber.WorkerEnvironment[EpisodePipeline.WhisperWorker.WorkerHost.CrashVariable] = $"segv:{_speech.SampleCount}";
        transcriber.EnsureModelLoaded();
        var innocent = TranscribeAsync(transcriber, _speechTenTimes);
        await Task.Delay(200);

        var error = await Assert.ThrowsAsync<TranscriptionWorkerCrashedException>(() => TranscribeAsync(transcriber, _speech));

        Assert.NotEmpty(await innocent);
        Assert.Equal(0, error.OtherRequestsInFlight);
        Assert.DoesNotContain("other slice", error.Message);
        Assert.Contains("6.0 s slice", error.Message);
        Assert.True(transcriber.ModelLoads >= 2, "both requests were in the worker when it crashed, and were retried alone");
    }

    [Fact]
    public async Task WorkerKilledMidTranscription_ThatCallFails_NextSucceedsOnARestartedWorker()
    {
        var transcriber = Transcriber(TestModel.Path);
        transcriber.EnsureModelLoaded();
        var pid = transcriber.WorkerProcessId!.Value;
        var running = TranscribeAsync(transcriber, _speechTenTimes);
        await Task.Delay(500);
        Process.GetProcessById(pid).Kill();

        var error = await Assert.ThrowsAsync<TranscriptionWorkerCrashedException>(() => running);
        Assert.Contains("SIGKILL", error.Message);
        Assert.NotEmpty(await TranscribeAsync(transcriber, _speech));
        Assert.NotEqual(pid, transcriber.WorkerProcessId);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("damaged")]
    public void EnsureModelLoaded_CorruptModel_FailsNamingThePath_WithoutStartingAWorker(string corruption)
    {
        var path = Path.Combine(_folder, "models", $"{corruption}.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteCorrupt(path, corruption);
        var transcriber = Transcriber(path);

        var error = Assert.Throws<ModelUnavailableException>(transcriber.EnsureModelLoaded);

        Assert.Contains(path, error.Message);
        Assert.Contains("Pipeline:Whisper:ModelPath", error.Message);
        Assert.Null(transcriber.WorkerProcessId);
        Assert.Equal(0, transcriber.ModelLoads);
    }

    [Fact]
    public async Task ReplacedModel_BadThenGood_IsPickedUpWithoutARestart_AndAChangedGoodModelGetsANewWorker()
    {
        var path = Path.Combine(_folder, "model.bin");
        WriteCorrupt(path, "truncated");
        var transcriber = Transcriber(path);
        Assert.Throws<ModelUnavailableException>(transcriber.EnsureModelLoaded);

        File.Copy(TestModel.Path, path, overwrite: true);
        transcriber.EnsureModelLoaded();
        Assert.NotEmpty(await TranscribeAsync(transcriber, _speech));
        var firstWorker = transcriber.WorkerProcessId!.Value;

        // Another good model (different weights) written over it: the next call uses a new worker.
        TinyWhisperModel.Write(path + ".new", seed: 99);
        File.Move(path + ".new", path, overwrite: true);
        Assert.NotEmpty(await TranscribeAsync(transcriber, _speech));

        Assert.NotEqual(firstWorker, transcriber.WorkerProcessId);
        Assert.Equal(2, transcriber.ModelLoads);
        await WaitUntilAsync(() => !ProcessIsAlive(firstWorker), "the retired worker exits");
    }

    [Fact]
    public async Task Dispose_StopsTheWorker()
    {
        var transcriber = Transcriber(TestModel.Path);
        transcriber.EnsureModelLoaded();
        var pid = transcriber.WorkerProcessId!.Value;

        transcriber.Dispose();

        await WaitUntilAsync(() => !ProcessIsAlive(pid), "the worker exits");
    }

    private static void WriteCorrupt(string path, string corruption)
    {
        var bytes = File.ReadAllBytes(TestModel.Path);
        if (corruption == "truncated")
        {
            bytes = bytes[..4096];
        }
        else
        {
            var offset = (int)GgmlModelFile.Validate(TestModel.Path).TensorsOffset;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset + 16), 1400);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static bool ProcessIsAlive(int pid)
    {
        // A dead child is reaped by .NET; /proc/<pid> then disappears (or belongs to a zombie until reaped).
        var status = $"/proc/{pid}/status";
        return File.Exists(status) && !File.ReadLines(status).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var transcriber in _transcribers)
        {
            transcriber.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
