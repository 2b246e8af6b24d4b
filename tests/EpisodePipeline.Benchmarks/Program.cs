using EpisodePipeline.Benchmarks;
using EpisodePipeline.TestKit;

// dotnet run -c Release --project tests/EpisodePipeline.Benchmarks [-- --only all|pipeline|engine|api|jobs|discovery|enrich|render] [--jobs 10000] [--skip-memory] [--files 1000] [--baseline-files 100] [--minutes 10] [--runs 3] [--fan-out 50] [--skip-azurite]
// dotnet run -c Release --project tests/EpisodePipeline.Benchmarks -- make-model models/ggml-tiny-random.bin
if (args is ["make-model", var path])
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    TinyWhisperModel.Write(path);
    Console.WriteLine($"Wrote a tiny random-weight Whisper model (nonsense transcripts, real timings) to {Path.GetFullPath(path)}");
    return;
}

if (args is [PipelineBenchmark.WhisperBaselineCommand, var wav, var whisperModel, var threads])
{
    await PipelineBenchmark.WhisperBaselineAsync(wav, whisperModel, int.Parse(threads, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).DefaultIfEmpty(fallback).First();
var only = Option("--only", "all");
var report = new Report();
if (only is "all" or "pipeline")
{
    await PipelineBenchmark.RunAsync(
        report,
        int.Parse(Option("--minutes", "10"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Option("--runs", "3"), System.Globalization.CultureInfo.InvariantCulture));
}

if (only is "all" or "engine")
{
    await EngineBenchmark.RunAsync(report, skipAzurite: args.Contains("--skip-azurite"), fanOut: int.Parse(Option("--fan-out", "50"), System.Globalization.CultureInfo.InvariantCulture));
}

if (only is "all" or "api")
{
    await StatusApiBenchmark.RunAsync(report);
}

if (only is "all" or "jobs")
{
    await JobQueriesBenchmark.RunAsync(report, int.Parse(Option("--jobs", "10000"), System.Globalization.CultureInfo.InvariantCulture), skipMemory: args.Contains("--skip-memory"), skipAzurite: args.Contains("--skip-azurite"));
}

if (only is "all" or "enrich")
{
    await EnrichBenchmark.RunAsync(report, int.Parse(Option("--runs", "3"), System.Globalization.CultureInfo.InvariantCulture));
}

if (only is "all" or "render")
{
    await RenderBenchmark.RunAsync(report);
}

if (only is "all" or "discovery")
{
    await DiscoveryBenchmark.RunAsync(
        report,
        int.Parse(Option("--files", "1000"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Option("--baseline-files", "100"), System.Globalization.CultureInfo.InvariantCulture));
}

report.Print(Console.Out);
