using System.Buffers.Binary;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class WavFileTests
{
    internal static string WriteWav(short[] samples, int rate = 16000, short channels = 1, bool extraChunk = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():N}.wav");
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        var list = extraChunk ? 12 : 0;
        writer.Write("RIFF"u8);
        writer.Write(36 + list + (samples.Length * 2));
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write(channels);
        writer.Write(rate);
        writer.Write(rate * 2 * channels);
        writer.Write((short)(2 * channels));
        writer.Write((short)16);
        if (extraChunk)
        {
            writer.Write("LIST"u8);
            writer.Write(4);
            writer.Write("INFO"u8);
        }

        writer.Write("data"u8);
        writer.Write(samples.Length * 2);
        foreach (var sample in samples)
        {
            writer.Write(sample);
        }

        return path;
    }

    [Fact]
    public void ReadSamples_ReturnsTheSliceScaledToMinusOneToOne()
    {
        var samples = Enumerable.Range(0, 32000).Select(i => (short)(i % 2 == 0 ? 16384 : -32768)).ToArray();
        var path = WriteWav(samples, extraChunk: true);

        var slice = WavFile.ReadSamples(path, 0.5, 1.0);

        Assert.Equal(8000, slice.Length);
        Assert.Equal(0.5f, slice[0]);
        Assert.Equal(-1f, slice[1]);
        Assert.Equal(2.0, WavFile.DurationSeconds(path));
    }

    [Fact]
    public void ReadSamples_PastTheEnd_IsClipped()
    {
        var path = WriteWav(new short[16000]);

        Assert.Equal(8000, WavFile.ReadSamples(path, 0.5, 9).Length);
        Assert.Empty(WavFile.ReadSamples(path, 2, 3));
    }

    [Fact]
    public void ReadSamples_WrongFormat_SaysWhatItFound()
    {
        var path = WriteWav(new short[100], rate: 44100, channels: 2);

        var error = Assert.Throws<InvalidDataException>(() => WavFile.ReadSamples(path, 0, 1));

        Assert.Contains("44100 Hz", error.Message);
    }

    [Fact]
    public void Slice_NamesTheSamplesReadSamplesReads_AndReadingInPiecesGivesTheSame()
    {
        var samples = Enumerable.Range(0, 48000).Select(i => (short)((i * 37 % 65536) - 32768)).ToArray();
        var path = WriteWav(samples, extraChunk: true);

        var slice = WavFile.Slice(path, 0.5, 2.25);
        var whole = WavFile.ReadSamples(path, 0.5, 2.25);
        var pieces = new List<float>();
        using (var reader = WavFile.OpenSlice(slice))
        {
            var buffer = new float[4999]; // not a divisor of the slice: the last piece is short
            int read;
            while ((read = reader.Read(buffer)) > 0)
            {
                pieces.AddRange(buffer[..read]);
            }
        }

        Assert.Equal(8000, slice.FirstSample);
        Assert.Equal(28000, slice.SampleCount);
        Assert.Equal(1.75, slice.Seconds);
        Assert.True(Path.IsPathFullyQualified(slice.Path));
        Assert.Equal(whole, pieces);
        Assert.Equal(samples[8000] / 32768f, whole[0]);
        Assert.Equal(samples[35999] / 32768f, whole[^1]);
    }

    [Fact]
    public void Slice_PastTheEnd_IsClipped()
    {
        var path = WriteWav(new short[16000]);

        Assert.Equal(new WavSlice(path, 8000, 8000), WavFile.Slice(path, 0.5, 9));
        Assert.Equal(0, WavFile.Slice(path, 2, 3).SampleCount);
    }

    [Fact]
    public void ReadSamples_OfAFileThatBecameShorterSinceItWasSliced_ReturnsWhatRemains()
    {
        var path = WriteWav([.. Enumerable.Repeat((short)1000, 32000)]);
        var slice = WavFile.Slice(path, 1, 2);
        File.Move(WriteWav(new short[20000]), path, overwrite: true); // cut while a job ran: 1.25 s left

        Assert.Equal(4000, WavFile.ReadSamples(slice).Length);
    }
}
