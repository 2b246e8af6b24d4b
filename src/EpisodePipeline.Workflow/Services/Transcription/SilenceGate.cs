using EpisodePipeline.Services.Media;

namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// An energy gate: tells whether a slice has any signal worth sending to Whisper. Whisper given
/// silence invents words, and a random-weight or small model does so over the whole slice.
/// </summary>
public static class SilenceGate
{
    /// <summary>Frame length in seconds over which the level is measured (speech syllables are longer).</summary>
    public const double FrameSeconds = 0.03;

    /// <summary>Frames read at a time by <see cref="HasSignal(WavSlice, double)"/>: 0.96 s, a 60 KB buffer.</summary>
    private const int FramesPerRead = 32;

    /// <summary>
    /// <see cref="HasSignal(ReadOnlySpan{float}, int, double)"/> over a slice of the extracted WAV, read a few
    /// frames at a time and only up to its first loud frame: the host never holds a slice's samples.
    /// </summary>
    public static bool HasSignal(WavSlice slice, double thresholdDb)
    {
        using var reader = WavFile.OpenSlice(slice);
        // A whole number of frames per read, so the frames are those of the whole slice.
        var buffer = new float[FrameLength(WavFile.SampleRate) * FramesPerRead];
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            if (HasSignal(buffer.AsSpan(0, read), WavFile.SampleRate, thresholdDb))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when some <see cref="FrameSeconds"/> frame of <paramref name="samples"/> (mono, −1..1 floats at
    /// <paramref name="sampleRate"/> Hz) has an RMS level at or above <paramref name="thresholdDb"/> dBFS.
    /// </summary>
    public static bool HasSignal(ReadOnlySpan<float> samples, int sampleRate, double thresholdDb)
    {
        var frame = FrameLength(sampleRate);
        // Compare mean squares, not decibels: no logarithm per frame.
        var threshold = Math.Pow(10, thresholdDb / 10);
        for (var offset = 0; offset < samples.Length; offset += frame)
        {
            var window = samples.Slice(offset, Math.Min(frame, samples.Length - offset));
            double sum = 0;
            foreach (var sample in window)
            {
                sum += sample * sample;
            }

            if (sum / window.Length >= threshold)
            {
                return true;
            }
        }

        return false;
    }

    private static int FrameLength(int sampleRate) => Math.Max(1, (int)(sampleRate * FrameSeconds));
}
