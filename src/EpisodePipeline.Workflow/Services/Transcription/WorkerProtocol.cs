using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// The worker's stdin/stdout protocol: length-prefixed little-endian binary frames,
/// <c>int32 length (of what follows) | byte kind | int64 id | payload</c>. stderr carries the worker's log.
/// Samples travel as raw float32, so 16 kHz audio costs 64 KB per second over the pipe.
/// </summary>
public static class WorkerProtocol
{
    private const int HeaderBytes = 1 + 8;

    /// <summary>
    /// Fewer samples than this (0.1 s at 16 kHz) never reach whisper.cpp: it produces nothing below 100 ms
    /// anyway (<c>whisper_full</c>: "input is too short"), and its mel front end copies samples 1..200 for
    /// reflective padding whatever the length, reading past a shorter array (reported as a segfault on an
    /// empty one).
    /// </summary>
    public const int MinimumSamples = 1600;

    /// <summary>Largest frame accepted: an hour of 16 kHz samples plus slack.</summary>
    public const int MaxFrameBytes = (3600 * 16000 * 4) + 1024;

    public static async Task WriteTranscribeAsync(Stream stream, long id, float[] samples, CancellationToken cancellationToken)
    {
        var header = new byte[4 + HeaderBytes + 4];
        BinaryPrimitives.WriteInt32LittleEndian(header, HeaderBytes + 4 + (samples.Length * 4));
        header[4] = (byte)WorkerFrameKind.Transcribe;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(5), id);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(13), samples.Length);
        await stream.WriteAsync(header, cancellationToken);

        // Written straight from the array (a synchronous write: spans cannot cross an await) rather than
        // copied first; a 5-minute slice is 19 MB.
        stream.Write(MemoryMarshal.AsBytes(samples.AsSpan()));
        await stream.FlushAsync(cancellationToken);
    }

    public static async Task WriteAsync(Stream stream, WorkerFrameKind kind, long id, string text, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[4 + HeaderBytes + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, HeaderBytes + payload.Length);
        frame[4] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(5), id);
        payload.CopyTo(frame.AsSpan(4 + HeaderBytes));
        await stream.WriteAsync(frame, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next frame, or null at a clean end of stream (the other side closed or died).</summary>
    public static async Task<WorkerFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[4 + HeaderBytes];
        var got = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken);
        if (got < prefix.Length)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < HeaderBytes || length > MaxFrameBytes)
        {
            throw new InvalidDataException($"Whisper worker protocol: a frame of {length} bytes.");
        }

        if ((WorkerFrameKind)prefix[4] == WorkerFrameKind.Transcribe)
        {
            // Read straight into the sample array, so the worker holds each slice once.
            var countBytes = new byte[4];
            if (length < HeaderBytes + 4 || await stream.ReadAtLeastAsync(countBytes, 4, throwOnEndOfStream: false, cancellationToken) < 4)
            {
                return null;
            }

            var count = BinaryPrimitives.ReadInt32LittleEndian(countBytes);
            if (count < 0 || length != HeaderBytes + 4 + (count * 4L))
            {
                throw new InvalidDataException($"Whisper worker protocol: {count} samples declared in a frame of {length} bytes.");
            }

            var samples = new float[count];
            var bytes = MemoryMarshal.AsBytes(samples.AsSpan());
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            {
                return null;
            }

            return new WorkerFrame(WorkerFrameKind.Transcribe, BinaryPrimitives.ReadInt64LittleEndian(prefix.AsSpan(5)), [], samples);
        }

        var payload = new byte[length - HeaderBytes];
        if (await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken) < payload.Length)
        {
            return null;
        }

        return new WorkerFrame((WorkerFrameKind)prefix[4], BinaryPrimitives.ReadInt64LittleEndian(prefix.AsSpan(5)), payload);
    }
}
