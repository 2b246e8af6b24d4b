using System.Diagnostics;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// Discovery of a large library: 1,000 new short files (probed in batches, a few ffmpeg runs at a time),
/// then an unchanged rescan (nothing probed). Baseline side by side: the same files probed one ffprobe
/// per file, as discovery did before, measured on a sample and scaled to the library.
/// </summary>
internal static class DiscoveryBenchmark
{
    public static async Task RunAsync(Report report, int files, int baselineFiles)
    {
        Console.WriteLine($"Discovery: {files} new short files, then an unchanged rescan");
        var root = Directory.CreateTempSubdirectory("episodepipeline-bench-discovery-").FullName;
        try
        {
            var media = await OddMedia.ManyShortFilesAsync(Path.Combine(root, "media"), files);
            var probe = new FfmpegProbe();

            var cpu = CpuSeconds();
            var clock = Stopwatch.StartNew();
            var first = await NewCatalog(root, probe).DiscoverAsync(CancellationToken.None);
            var discover = clock.Elapsed.TotalSeconds;
            cpu = CpuSeconds() - cpu;
            Check(first.Ready == files, $"{first.Ready} of {files} files ready");

            // A fresh catalog, as after a restart: it reads catalog.json, walks the folder, probes nothing.
            clock.Restart();
            var rescan = await NewCatalog(root, probe).DiscoverAsync(CancellationToken.None);
            var unchanged = clock.Elapsed.TotalSeconds;
            Check(rescan is { Added: 0, Changed: 0 }, "the rescan changed nothing");

            // Before: one ffprobe process per file, one after another.
            var sample = media.Take(baselineFiles).ToList();
            var baselineCpu = CpuSeconds();
            clock.Restart();
            foreach (var file in sample)
            {
                await probe.ProbeAsync(file, CancellationToken.None);
            }

            var perFile = clock.Elapsed.TotalSeconds / sample.Count;
            var cpuPerFile = (CpuSeconds() - baselineCpu) / sample.Count;

            report.Add($"discovery, {files:N0} new short files, one ffprobe per file (baseline, {sample.Count} measured × {files / (double)sample.Count:F0})", perFile * files, "s");
            report.Add($"**discovery**, {files:N0} new short files, batched ffmpeg runs", discover, "s", "< 20 s", discover < 20);
            report.Add($"discovery, {files:N0} new files, one ffprobe per file: CPU time (baseline, scaled)", cpuPerFile * files, "s");
            report.Add($"discovery, {files:N0} new files, batched: CPU time (this process and every FFmpeg run)", cpu, "s");
            report.Add($"**discovery**, unchanged rescan of {files:N0} files (fresh catalog)", unchanged, "s", "< 1 s", unchanged < 1);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static EpisodeCatalog NewCatalog(string root, IMediaProbe probe)
    {
        var pipeline = new PipelineOptions { Root = root };
        pipeline.Input.SettleSeconds = 0;
        pipeline.Input.Folders.Add("media");
        pipeline.Input.Extensions.AddRange(InputOptions.DefaultExtensions);
        var options = Microsoft.Extensions.Options.Options.Create(pipeline);
        return new EpisodeCatalog(options, new DataLayout(options), probe, TimeProvider.System, NullLogger<EpisodeCatalog>.Instance);
    }

    /// <summary>
    /// CPU seconds of this process plus its finished children (the FFmpeg runs), from /proc: unlike wall time it
    /// does not grow when other work shares the cores. NaN where /proc is not there.
    /// </summary>
    private static double CpuSeconds()
    {
        const double ticks = 100; // USER_HZ on Linux
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        // Fields after the command name (which may contain spaces): state is field 3; cutime 16, cstime 17.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var children = (long.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[14], System.Globalization.CultureInfo.InvariantCulture)) / ticks;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + children;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Discovery benchmark: expected {what}.");
        }
    }
}
