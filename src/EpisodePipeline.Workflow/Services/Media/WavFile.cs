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
    public static float[] ReadSamples(string path, double startSeconds, double endSeconds) => ReadSamples(Slice(path, startSeconds, endSeconds));

    /// <summary>A slice's samples as Whisper's floats (−1..1); fewer than it names if the file has become shorter since.</summary>
    public static float[] ReadSamples(WavSlice slice)
    {
        var samples = new float[slice.SampleCount];
        using var reader = OpenSlice(slice);
        var read = reader.Read(samples);
        return read == samples.Length ? samples : samples[..read];
    }

    /// <summary>
    /// Where the samples from <paramref name="startSeconds"/> to <paramref name="endSeconds"/> are, clipped to
    /// the file; reads only the header. Fails with <see cref="InvalidDataException"/> for a file that is not
    /// 16 kHz mono 16-bit PCM, and with <see cref="FileNotFoundException"/> for a missing one.
    /// </summary>
    public static WavSlice Slice(string path, double startSeconds, double endSeconds)
    {
        using var stream = File.OpenRead(path);
        var layout = ReadLayout(stream);
        var totalSamples = layout.DataLength / 2;
        var first = Math.Clamp((long)Math.Round(startSeconds * WavFile.SampleRate), 0, totalSamples);
        var last = Math.Clamp((long)Math.Round(endSeconds * WavFile.SampleRate), first, totalSamples);
        return new WavSlice(Path.GetFullPath(path), first, checked((int)(last - first)));
    }

    /// <summary>Opens a slice for reading in pieces, so no caller needs all of its samples at once.</summary>
    public static WavSliceReader OpenSlice(WavSlice slice)
    {
        var stream = File.OpenRead(slice.Path);
        try
        {
            var layout = ReadLayout(stream);
            var available = Math.Max(0, (layout.DataLength / 2) - slice.FirstSample);
            stream.Position = layout.DataOffset + (Math.Min(slice.FirstSample, layout.DataLength / 2) * 2);
            return new WavSliceReader(stream, (int)Math.Min(slice.SampleCount, available));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
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
