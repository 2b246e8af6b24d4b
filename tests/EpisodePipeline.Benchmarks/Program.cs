using EpisodePipeline.Benchmarks;
using EpisodePipeline.TestKit;

// dotnet run -c Release --project tests/EpisodePipeline.Benchmarks [-- --minutes 10] [--skip-azurite]
// dotnet run -c Release --project tests/EpisodePipeline.Benchmarks -- make-model models/ggml-tiny-random.bin
if (args is ["make-model", var path])
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    TinyWhisperModel.Write(path);
    Console.WriteLine($"Wrote a tiny random-weight Whisper model (nonsense transcripts, real timings) to {Path.GetFullPath(path)}");
    return;
}

var minutes = args.SkipWhile(a => a != "--minutes").Skip(1).Select(int.Parse).DefaultIfEmpty(10).First();
var report = new Report();
await PipelineBenchmark.RunAsync(report, minutes);
await EngineBenchmark.RunAsync(report, skipAzurite: args.Contains("--skip-azurite"));
await StatusApiBenchmark.RunAsync(report);
report.Print(Console.Out);
