using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Speech to text over raw 16 kHz mono samples.</summary>
public interface ITranscriber
{
    /// <summary>Fails with <see cref="ModelUnavailableException"/> when the model cannot be loaded.</summary>
    void EnsureModelLoaded();

    /// <summary>A fingerprint of the model and settings, so a transcript made with others is not reused.</summary>
    string SettingsFingerprint { get; }

    /// <summary>Segments with times in seconds relative to the first sample.</summary>
    Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(float[] samples, CancellationToken cancellationToken);
}
