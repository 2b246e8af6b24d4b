using System.Buffers.Binary;

namespace EpisodePipeline.Services.Media;

/// <summary>Reads slices of a 16 kHz mono 16-bit PCM WAV file as Whisper's float samples.</summary>
public static class WavFile
{
    /// <summary>Samples per second of the WAV the workflow extracts and Whisper reads (16 kHz).</summary>
    public const int SampleRate = 16_000;

    private readonly record struct Layout(long DataOffset, long DataLength);

    public static double DurationSeconds(string path)
    {
        using var stream = File.OpenRead(path);
        var layout = ReadLayout(stream);
        return layout.DataLength / 2.0 / WavFile.SampleRate;
    }

    /// <summary>Samples from <paramref name="startSeconds"/> to <paramref name="endSeconds"/>, clipped to the file.</summary>
    public static float[] ReadSamples(string path, double startSeconds, double endSeconds)
    {
        using var stream = File.OpenRead(path);
        var layout = ReadLayout(stream);
        var totalSamples = layout.DataLength / 2;
        var first = Math.Clamp((long)Math.Round(startSeconds * WavFile.SampleRate), 0, totalSamples);
        var last = Math.Clamp((long)Math.Round(endSeconds * WavFile.SampleRate), first, totalSamples);
        var bytes = new byte[(last - first) * 2];
        stream.Position = layout.DataOffset + (first * 2);
        stream.ReadExactly(bytes);

        var samples = new float[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2)) / 32768f;
        }

        return samples;
    }

    private static Layout ReadLayout(Stream stream)
    {
        Span<byte> header = stackalloc byte[12];
        stream.ReadExactly(header);
        if (!header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("Not a RIFF/WAVE file.");
        }

        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[16];
        var formatChecked = false;
        while (stream.Read(chunk) == 8)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                stream.ReadExactly(fmt);
                var format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (format != 1 || channels != 1 || rate != WavFile.SampleRate || bits != 16)
                {
                    throw new InvalidDataException($"Expected 16 kHz mono 16-bit PCM, found format {format}, {channels} channel(s), {rate} Hz, {bits} bits.");
                }

                formatChecked = true;
                stream.Position += size - 16 + (size & 1);
            }
            else if (chunk[..4].SequenceEqual("data"u8))
            {
                if (!formatChecked)
                {
                    throw new InvalidDataException("WAV data chunk comes before its format chunk.");
                }

                // ffmpeg writing to a pipe leaves the size unset; the rest of the file is the data then.
                var length = size is 0 or uint.MaxValue ? stream.Length - stream.Position : Math.Min(size, stream.Length - stream.Position);
                return new Layout(stream.Position, length & ~1L);
            }
            else
            {
                stream.Position += size + (size & 1);
            }
        }

        throw new InvalidDataException("WAV file has no data chunk.");
    }
}
