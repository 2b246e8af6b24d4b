using System.Buffers.Binary;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// Reads a <see cref="WavSlice"/>'s 16-bit samples as Whisper's floats (−1..1), a piece at a time through a
/// small buffer, so reading a slice costs its floats and nothing more. Made by <see cref="WavFile.OpenSlice"/>.
/// </summary>
public sealed class WavSliceReader : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _remaining;

    internal WavSliceReader(FileStream stream, int samples)
    {
        _stream = stream;
        _remaining = samples;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the slice's next samples; returns how many, less than its
    /// length only at the slice's end (or the file's, if it has become shorter), 0 after it.
    /// </summary>
    public int Read(Span<float> destination)
    {
        var total = 0;
        while (total < destination.Length && _remaining > 0)
        {
            var want = Math.Min(Math.Min(destination.Length - total, _remaining), BufferBytes / 2);
            var got = _stream.ReadAtLeast(_buffer.AsSpan(0, want * 2), want * 2, throwOnEndOfStream: false) / 2;
            for (var i = 0; i < got; i++)
            {
                destination[total + i] = BinaryPrimitives.ReadInt16LittleEndian(_buffer.AsSpan(i * 2)) / 32768f;
            }

            total += got;
            _remaining = got < want ? 0 : _remaining - got;
        }

        return total;
    }

    public void Dispose() => _stream.Dispose();
}
