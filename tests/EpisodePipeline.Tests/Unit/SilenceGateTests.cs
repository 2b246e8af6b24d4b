using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class SilenceGateTests
{
    private const int Rate = 16_000;

    private static float[] Tone(double seconds, double amplitude) =>
        [.. Enumerable.Range(0, (int)(seconds * Rate)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * 440 * i / Rate)))];

    [Fact]
    public void DigitalSilence_HasNoSignal() =>
        Assert.False(SilenceGate.HasSignal(new float[60 * Rate], Rate, -50));

    [Fact]
    public void NoiseFloorBelowTheThreshold_HasNoSignal()
    {
        // A sine of amplitude 0.002 has an RMS of 0.0014, about -57 dBFS: room tone, not speech.
        Assert.False(SilenceGate.HasSignal(Tone(10, 0.002), Rate, -50));
    }

    [Fact]
    public void OneShortSoundInMinutesOfSilence_IsSignal()
    {
        // 100 ms at -23 dBFS RMS after four minutes of silence: the slice must go to Whisper.
        var samples = new float[240 * Rate];
        Tone(0.1, 0.1).CopyTo(samples, 236 * Rate);

        Assert.True(SilenceGate.HasSignal(samples, Rate, -50));
    }

    [Fact]
    public void EmptySlice_HasNoSignal() => Assert.False(SilenceGate.HasSignal([], Rate, -50));

    private static WavSlice InWav(float[] samples) =>
        WavFile.Slice(WavFileTests.WriteWav([.. samples.Select(s => (short)Math.Round(s * 32767))]), 0, samples.Length / (double)Rate);

    [Theory]
    [InlineData(236 * Rate, 160, true)]      // a sound in the middle of a read
    [InlineData((32 * 480) - 50, 160, true)] // across two reads
    [InlineData(240 * Rate, 100, true)]      // in the slice's last, partial frame
    [InlineData(0, 0, false)]                // none: four minutes of silence
    public void SliceOfAWav_ReadInPieces_AgreesWithTheWholeSlice(int soundAt, int soundSamples, bool expected)
    {
        var samples = new float[(240 * Rate) + 100];
        Tone(soundSamples / (double)Rate, 0.1).CopyTo(samples, soundAt);

        var slice = InWav(samples);

        Assert.Equal(expected, SilenceGate.HasSignal(slice, -50));
        Assert.Equal(SilenceGate.HasSignal(WavFile.ReadSamples(slice), Rate, -50), SilenceGate.HasSignal(slice, -50));
    }
}
