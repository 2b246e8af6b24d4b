using System.Buffers.Binary;
using System.Text;
using EpisodePipeline.Services.Media;

namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// The worker's stdin/stdout protocol: length-prefixed little-endian binary frames,
/// <c>int32 length (of what follows) | byte kind | int64 id | payload</c>. stderr carries the worker's log.
/// A request names a slice of the extracted WAV and the worker reads its samples from the file: no samples
/// cross the pipe, and the host never holds them.
/// </summary>
public static class WorkerProtocol
{
    private const int HeaderBytes = 1 + 8;
    private const int SliceBytes = 8 + 4;

    /// <summary>
    /// Fewer samples than this (0.1 s at 16 kHz) never reach whisper.cpp: it produces nothing below 100 ms
    /// anyway (<c>whisper_full</c>: "input is too short"), and its mel front end copies samples 1..200 for
    /// reflective padding whatever the length, reading past a shorter array (reported as a segfault on an
    /// empty one).
    /// </summary>
    public const int MinimumSamples = 1600;

    /// <summary>Largest frame accepted (the segments of an hour's slice are a few hundred KB).</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>A <see cref="WorkerFrameKind.Transcribe"/> frame: <c>int64 first sample | int32 sample count | UTF-8 WAV path</c>.</summary>
    public static async Task WriteTranscribeAsync(Stream stream, long id, WavSlice slice, CancellationToken cancellationToken)
    {
        var path = Encoding.UTF8.GetBytes(slice.Path);
        var payload = new byte[SliceBytes + path.Length];
        BinaryPrimitives.WriteInt64LittleEndian(payload, slice.FirstSample);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), slice.SampleCount);
        path.CopyTo(payload.AsSpan(SliceBytes));
        await WriteAsync(stream, WorkerFrameKind.Transcribe, id, payload, cancellationToken);
    }

    /// <summary>The slice a <see cref="WorkerFrameKind.Transcribe"/> frame names.</summary>
    public static WavSlice ReadSlice(WorkerFrame frame)
    {
        if (frame.Kind != WorkerFrameKind.Transcribe || frame.Payload.Length <= SliceBytes)
        {
            throw new InvalidDataException($"Whisper worker protocol: a {frame.Kind} frame of {frame.Payload.Length} bytes is not a slice.");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(frame.Payload.AsSpan(8));
        var first = BinaryPrimitives.ReadInt64LittleEndian(frame.Payload);
        if (count < 0 || first < 0)
        {
            throw new InvalidDataException($"Whisper worker protocol: a slice of {count} samples from sample {first}.");
        }

        return new WavSlice(Encoding.UTF8.GetString(frame.Payload.AsSpan(SliceBytes)), first, count);
    }

    public static Task WriteAsync(Stream stream, WorkerFrameKind kind, long id, string text, CancellationToken cancellationToken) =>
        WriteAsync(stream, kind, id, Encoding.UTF8.GetBytes(text), cancellationToken);

    private static async Task WriteAsync(Stream stream, WorkerFrameKind kind, long id, byte[] payload, CancellationToken cancellationToken)
    {
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

        var payload = new byte[length - HeaderBytes];
        if (await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken) < payload.Length)
        {
            return null;
        }

        return new WorkerFrame((WorkerFrameKind)prefix[4], BinaryPrimitives.ReadInt64LittleEndian(prefix.AsSpan(5)), payload);
    }
}
