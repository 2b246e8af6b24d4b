using System.Runtime.InteropServices;

namespace EpisodePipeline.WhisperWorker;

/// <summary>How the C library's allocator serves Whisper's buffers.</summary>
internal static class NativeHeap
{
    /// <summary><c>M_MMAP_THRESHOLD</c> of glibc's <c>mallopt</c>.</summary>
    private const int MmapThresholdOption = -3;

    /// <summary>glibc's own starting value.</summary>
    private const int MmapThresholdBytes = 128 * 1024;

    /// <summary>
    /// Every slice makes whisper.cpp allocate megabytes (padded samples, the mel spectrogram, its compute
    /// buffers) and free them at the end, as the worker does with the slice's <see cref="NativeSamples"/>. glibc
    /// maps a block above its mmap threshold on its own and unmaps it on free, but raises the threshold to the
    /// size of each such block freed (up to 32 MB), so after the first slice those blocks come from heaps that
    /// keep their pages. A fixed threshold turns that off: the worker's peak on a 10-minute clip with two
    /// processors fell by 16 MB (measured 2026-11-30). Other C libraries ignore the call or lack it.
    /// </summary>
    public static void ReturnLargeBlocksAtOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Mallopt(MmapThresholdOption, MmapThresholdBytes);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int option, int value);
}
