using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// The real Whisper transcriber behind a gate the test opens one call at a time, so a test can
/// watch the job between segments without racing it.
/// </summary>
public sealed class GatedTranscriber(WhisperProcessTranscriber inner) : ITranscriber
{
    private readonly SemaphoreSlim _gate = new(0);
    private int _started;
    private int _finished;

    public string SettingsFingerprint => inner.SettingsFingerprint;

    /// <summary>Calls that have reached the gate.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Calls that have returned or thrown: once it equals <see cref="Started"/>, no Whisper work is in flight.</summary>
    public int Finished => Volatile.Read(ref _finished);

    public void EnsureModelLoaded() => inner.EnsureModelLoaded();

    public void Release(int calls = 1) => _gate.Release(calls);

    /// <summary>Lets every call through from now on.</summary>
    public void OpenFully() => _gate.Release(10_000);

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(WavSlice slice, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        try
        {
            if (!await _gate.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken))
            {
                throw new TimeoutException("The test never opened the transcription gate.");
            }

            return await inner.TranscribeAsync(slice, cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }
}
