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
}
