using System.Globalization;

namespace EpisodePipeline.Services.Media;

/// <summary>What an extraction wrote, on the media's own timeline (WAV time 0 = media time 0).</summary>
/// <param name="DecodedSeconds">Length of the WAV: where the decoded audio ends on the media's timeline.</param>
/// <param name="StartSeconds">Silence put before the track's first sample because the track starts that late (audio after video).</param>
/// <param name="DeclaredSeconds">Where the container says the track ends on the timeline (its own duration if it declares one, else the file's); null when it says nothing.</param>
public sealed record ExtractedAudio(double DecodedSeconds, double StartSeconds, double? DeclaredSeconds)
{
    /// <summary>A shortfall counts from this many seconds: encoder priming and padding stay well below it.</summary>
    public const double TruncationMinSeconds = 1.0;

    /// <summary>... and from this share of the declared length: durations estimated from the bit rate (VBR without a header) stay below it.</summary>
    public const double TruncationMinFraction = 0.02;

    /// <summary>
    /// A warning when the audio decodes to clearly less than the container declares (a file cut short or
    /// still being written); null otherwise. Decoding more than declared is normal for estimated durations.
    /// </summary>
    public string? TruncationWarning() =>
        DeclaredSeconds is { } declared && declared - DecodedSeconds >= Math.Max(TruncationMinSeconds, declared * TruncationMinFraction)
            ? string.Create(CultureInfo.InvariantCulture, $"media decodes to {DecodedSeconds:F1} of {declared:F1} s; the file may be truncated")
            : null;
}
