using EpisodePipeline.Models;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// A transcriber that holds every call until released and never touches Whisper: a job that stays
/// running for as long as a test needs, with no native work in flight when the host is torn down.
/// </summary>
public sealed class HeldTranscriber : ITranscriber, IDisposable
{
    private readonly CancellationTokenSource _released = new();

    public string SettingsFingerprint => "held";

    public void EnsureModelLoaded()
    {
    }

    /// <summary>Fails every held call, and every later one, at once.</summary>
    public void Release() => _released.Cancel();

    public async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(WavSlice slice, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_released.Token, cancellationToken);
        await Task.Delay(TimeSpan.FromMinutes(2), either.Token);
        throw new TimeoutException("The test never released the held transcription.");
    }

    public void Dispose() => _released.Dispose();
}
