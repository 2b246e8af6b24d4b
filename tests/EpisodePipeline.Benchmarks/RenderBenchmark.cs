using System.Diagnostics;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EpisodePipeline.Benchmarks;

/// <summary>
/// Render of a 60-minute episode (1,200 transcript segments of 3 s, 12 chapters, 20 keywords, 10 quotes): everything
/// the Render activity does — read transcript and enrichment, publish the media, write page, captions, chapters and
/// transcripts, rebuild the site index and feed. The first render (template parsing, JIT) is reported on its own.
/// </summary>
internal static class RenderBenchmark
{
    private const int Minutes = 60;
    private const int Runs = 10;

    public static async Task RunAsync(Report report)
    {
        Console.WriteLine($"Render: a {Minutes}-minute episode, {Runs} runs after a first one");
        var root = Directory.CreateTempSubdirectory("bench-render-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "media"));
            File.Copy(await TestMedia.SpeechAudioAsync(Minutes * 60), Path.Combine(root, "media", "episode.mp3"));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Root"] = root }).Build();
            await using var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddLogging()
                .AddEpisodePipeline()
                .BuildServiceProvider();
            await services.GetRequiredService<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
            var layout = services.GetRequiredService<DataLayout>();
            await WriteInputsAsync(layout, "episode", Minutes * 60.0);
            var renderer = services.GetRequiredService<IEpisodeRenderer>();

            var first = Stopwatch.StartNew();
            var outcome = await renderer.RenderAsync("episode");
            first.Stop();
            var times = new List<double>(Runs);
            for (var i = 0; i < Runs; i++)
            {
                var run = Stopwatch.StartNew();
                await renderer.RenderAsync("episode");
                times.Add(run.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var median = times[Runs / 2];
            var page = new FileInfo(Path.Combine(root, "output", outcome.Files[RenderedFiles.Page])).Length;
            report.Add($"**render**, 60-minute episode ({outcome.Segments} segments, {outcome.Chapters} chapters), median of {Runs}", median, "ms", "< 1000 ms", median < 1000);
            report.Add("render, slowest of those runs", times[^1], "ms");
            report.Add("render, first run (template parse, JIT)", first.Elapsed.TotalMilliseconds, "ms");
            report.Add("episode page size", page / 1024.0, "KiB");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task WriteInputsAsync(DataLayout layout, string id, double duration)
    {
        var words = "local first software pipelines transcribe audio segments chapters keywords publish pages captions feeds".Split(' ');
        string Sentence(int i) => string.Join(' ', Enumerable.Range(0, 9).Select(k => words[(i * 7 + k * 3) % words.Length])) + ".";
        var segments = Enumerable.Range(0, (int)(duration / 3)).Select(i => new TranscriptSegment(i * 3.0, (i * 3.0) + 2.8, Sentence(i))).ToList();
        await AtomicFile.WriteJsonAsync(layout.TranscriptPath(id), new Transcript
        {
            EpisodeId = id, Language = "en", DurationSeconds = duration, Fingerprint = "bench", CreatedAt = DateTimeOffset.UnixEpoch, Segments = segments,
        });
        await AtomicFile.WriteJsonAsync(Path.Combine(layout.EpisodeFolder(id), EpisodeRenderer.EnrichmentFileName), new Enrichment
        {
            EpisodeId = id,
            Title = "A long conversation about local-first media",
            Description = "One hour on pipelines that run on a single workstation.",
            Summary = string.Join("\n\n", Enumerable.Range(0, 4).Select(p => string.Join(' ', Enumerable.Range(0, 6).Select(i => Sentence(p * 6 + i))))),
            Chapters = [.. Enumerable.Range(0, 12).Select(c => new Chapter(c * duration / 12, $"Chapter {c + 1}: {Sentence(c)}", Sentence(c + 1)))],
            Keywords = [.. Enumerable.Range(0, 20).Select(k => $"{words[k % words.Length]}-{k}")],
            Quotes = [.. Enumerable.Range(0, 10).Select(q => new Quote(Sentence(q * 100), q * 300, (q * 300) + 2.8))],
            Model = "bench",
            Fingerprint = "bench",
            CreatedAt = DateTimeOffset.UnixEpoch,
        });
    }
}
