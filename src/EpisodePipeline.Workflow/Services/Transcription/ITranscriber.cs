using EpisodePipeline.Models;
using EpisodePipeline.Services.Media;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Speech to text over slices of the 16 kHz mono WAV the workflow extracts.</summary>
public interface ITranscriber
{
    /// <summary>Fails with <see cref="ModelUnavailableException"/> when the model cannot be loaded.</summary>
    void EnsureModelLoaded();

    /// <summary>A fingerprint of the model and settings, so a transcript made with others is not reused.</summary>
    string SettingsFingerprint { get; }

    /// <summary>
    /// Segments with times in seconds relative to the slice's first sample. The transcriber reads the samples
    /// itself, where Whisper runs, so the caller never holds them.
    /// </summary>
    Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(WavSlice slice, CancellationToken cancellationToken);
}
