using System.Reflection;

namespace EpisodePipeline.Options;

/// <summary>
/// Fills the Whisper settings left at 0 from the machine and the Whisper runtime the build uses, so a
/// small machine is not oversubscribed and a big one is not serialised.
/// </summary>
public static class WhisperDefaults
{
    /// <summary>More processors than this each hold their own working memory for little extra speed.</summary>
    public const int MaxCpuProcessors = 4;

    /// <summary>
    /// The Whisper runtime this build links (<c>Cpu</c> or <c>Cuda</c>), set by the <c>WhisperRuntime</c>
    /// MSBuild property (Directory.Build.props) and recorded in the assembly's metadata.
    /// </summary>
    public static string Runtime { get; } =
        typeof(WhisperDefaults).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "WhisperRuntime")?.Value ?? "Cpu";

    /// <summary>
    /// Derives what is unset (0). CPU: processors × threads ≈ <paramref name="cores"/>, at most
    /// <see cref="MaxCpuProcessors"/> processors (one thread each on a small machine: Whisper's threads
    /// scale worse than independent processors), and a job runs as many slices as there are processors.
    /// CUDA: one processor on the GPU, a few CPU threads to feed it, two slices in flight so the next
    /// one already waits in the worker. Values set in configuration are kept, and the others follow from them.
    /// </summary>
    public static void Apply(WhisperOptions whisper, int cores, bool cuda)
    {
        cores = Math.Max(1, cores);
        if (cuda)
        {
            whisper.GpuConcurrency = Or(whisper.GpuConcurrency, 1);
            whisper.Threads = Or(whisper.Threads, Math.Min(4, cores));
            whisper.ParallelSegments = Or(whisper.ParallelSegments, whisper.GpuConcurrency + 1);
            return;
        }

        if (whisper.GpuConcurrency == 0)
        {
            whisper.GpuConcurrency = whisper.Threads > 0
                ? Math.Clamp(cores / whisper.Threads, 1, MaxCpuProcessors)
                : Math.Clamp(cores, 1, MaxCpuProcessors);
        }

        whisper.Threads = Or(whisper.Threads, Math.Max(1, cores / whisper.GpuConcurrency));
        whisper.ParallelSegments = Or(whisper.ParallelSegments, whisper.GpuConcurrency);
    }

    // Only 0 means "derive": a negative value is kept so validation names it.
    private static int Or(int configured, int derived) => configured != 0 ? configured : derived;
}
