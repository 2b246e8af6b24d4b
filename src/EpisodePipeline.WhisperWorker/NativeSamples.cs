using System.Buffers;
using System.Runtime.InteropServices;
using EpisodePipeline.Services.Media;

namespace EpisodePipeline.WhisperWorker;

/// <summary>
/// A slice's samples in native memory, given back to the system on <see cref="IDisposable.Dispose"/>: a slice
/// of a few minutes is megabytes, and as managed arrays each one stayed on the large object heap until a full
/// collection, so the worker's peak held the samples of slices long finished (35 MB after six slices).
/// </summary>
internal sealed unsafe class NativeSamples : MemoryManager<float>
{
    private float* _samples;
    private int _length;

    private NativeSamples(int capacity)
    {
        _samples = (float*)NativeMemory.Alloc((nuint)Math.Max(1, capacity), sizeof(float));
    }

    /// <summary>The slice's samples; fewer than it names if the file has become shorter since the host looked.</summary>
    public static NativeSamples Read(WavSlice slice)
    {
        var samples = new NativeSamples(slice.SampleCount);
        try
        {
            using var reader = WavFile.OpenSlice(slice);
            samples._length = reader.Read(new Span<float>(samples._samples, slice.SampleCount));
            return samples;
        }
        catch
        {
            ((IDisposable)samples).Dispose();
            throw;
        }
    }

    public int Length => _length;

    public override Span<float> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_samples is null, this);
        return new Span<float>(_samples, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_samples is null, this);
        return new MemoryHandle(_samples + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        NativeMemory.Free(_samples);
        _samples = null;
        _length = 0;
    }
}
