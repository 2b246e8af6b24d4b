using System.Globalization;

namespace EpisodePipeline.WhisperWorker;

/// <summary>The worker's command line: what the host's <c>Pipeline:Whisper</c> settings say.</summary>
internal sealed record WorkerSettings(string ModelPath, int Threads, string Language, int Concurrency)
{
    public static WorkerSettings Parse(string[] args)
    {
        string Option(string name, string? fallback) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback ?? throw new ArgumentException($"Missing {name}.");

        return new WorkerSettings(
            Option("--model", null),
            int.Parse(Option("--threads", "4"), CultureInfo.InvariantCulture),
            Option("--language", "en"),
            int.Parse(Option("--concurrency", "1"), CultureInfo.InvariantCulture));
    }
}
