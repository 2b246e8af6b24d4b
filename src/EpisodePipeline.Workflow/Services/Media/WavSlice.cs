namespace EpisodePipeline.Services.Media;

/// <summary>
/// Where a slice's samples are, not the samples themselves: <paramref name="SampleCount"/> samples of the
/// 16 kHz mono 16-bit WAV at <paramref name="Path"/> (absolute), from sample <paramref name="FirstSample"/>
/// of its data chunk. Made by <see cref="WavFile.Slice"/>, read by <see cref="WavFile.OpenSlice"/>.
/// </summary>
public sealed record WavSlice(string Path, long FirstSample, int SampleCount)
{
    /// <summary>The slice's length in seconds.</summary>
    public double Seconds => SampleCount / (double)WavFile.SampleRate;
}
