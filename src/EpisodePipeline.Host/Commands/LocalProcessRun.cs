using EpisodePipeline.Host.Client;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Enrich;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.Services.Transcription;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// <c>process MEDIA-FILE</c> without a server: the standalone host starts in this process (in-memory backend, a free
/// loopback port, quiet console) and the job runs through the same HTTP contract and progress bar as against a server.
/// The host reads <c>config/pipeline.yaml</c> and <c>--Pipeline:...</c> overrides as <c>api</c> does; its catalog and
/// artifacts go to <c>&lt;data folder&gt;/files</c> (so the catalog of <c>api</c>'s media folders is never touched),
/// its page to the usual output folder. Its one input folder, <c>&lt;data folder&gt;/files/input</c>, holds a link
/// per file name, made again on every run: the same file keeps its path, so its episode id and catalog entry, and a
/// second run reuses what the first made; another file of the same name takes the link over (its content differs, so
/// nothing made from the first is reused for it).
/// </summary>
internal static class LocalProcessRun
{
    /// <summary>Under the configured data folder: the catalog and artifacts of files processed this way.</summary>
    public const string DataSubfolder = "files";

    /// <summary>Under <see cref="DataSubfolder"/>: the input folder, links to the files processed this way.</summary>
    public const string InputSubfolder = "input";

    /// <summary>How long Ollama may take to say it is there before a run that needs it gives up.</summary>
    public static readonly TimeSpan OllamaCheckTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string file, EpisodeStage stage, ProcessRequest request, IReadOnlyList<string> configuration, bool json, CliContext context)
    {
        var name = Path.GetFileName(file);
        StandaloneHost host;
        try
        {
            host = await StandaloneHost.StartAsync(
                [
                    .. configuration,
                    "--port", "0", "--address", "127.0.0.1", "--backend", nameof(Options.DurableBackend.InMemory),
                    // The progress bar owns the terminal: only errors reach it from the host's log.
                    "--Logging:Console:LogLevel:Default", "Error",
                ],
                services => services.PostConfigure<PipelineOptions>(o =>
                {
                    o.DataFolder = Path.Combine(o.Resolve(o.DataFolder), DataSubfolder);
                    o.Input.Folders.Clear();
                    o.Input.Folders.Add(Path.Combine(o.DataFolder, InputSubfolder));
                    // The file was named on the command line: it is complete, nothing needs to settle.
                    o.Input.SettleSeconds = 0;
                }),
                context.Cancellation);
        }
        catch (Exception e) when (e is OptionsValidationException or FileNotFoundException)
        {
            await context.Error.WriteLineAsync($"Configuration error: {e.Message}");
            return ExitCodes.Configuration;
        }

        await using (host)
        {
            if (await CheckPrerequisitesAsync(host.Services, stage, context) is { } problem)
            {
                await context.Error.WriteLineAsync(problem);
                return ExitCodes.Configuration;
            }

            var input = host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.Input.Folders[0];
            Directory.CreateDirectory(input);
            var link = Path.Combine(input, name);
            File.Delete(link);
            File.CreateSymbolicLink(link, Path.GetFullPath(file));
            return await ProcessAsync(host, link, file, stage, request, json, context);
        }
    }

    /// <summary>The Whisper model, and Ollama with its model when the stage needs Enrich; null when all is there, else what to do.</summary>
    private static async Task<string?> CheckPrerequisitesAsync(IServiceProvider services, EpisodeStage stage, CliContext context)
    {
        var options = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        try
        {
            GgmlModelFile.Validate(options.Resolve(options.Whisper.ModelPath));
        }
        catch (ModelUnavailableException e)
        {
            return e.Message;
        }

        if (stage < EpisodeStage.Enriched)
        {
            return null;
        }

        var skip = $"Or stop at the transcript, which needs no LLM: add --stage {WireName.Of(EpisodeStage.Transcribed)}.";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
        timeout.CancelAfter(OllamaCheckTimeout);
        try
        {
            await services.GetRequiredService<IEnricher>().EnsureReadyAsync(timeout.Token);
            return null;
        }
        catch (EnrichmentFailedException e)
        {
            return $"Stage {WireName.Of(stage)} needs Ollama for Enrich: {e.Message} {skip}";
        }
        catch (OperationCanceledException) when (!context.Cancellation.IsCancellationRequested)
        {
            return $"Stage {WireName.Of(stage)} needs Ollama for Enrich, and it does not answer at {options.Ollama.Url} (Pipeline:Ollama:Url) within {OllamaCheckTimeout.TotalSeconds:F0} s. " +
                   $"Start it with `ollama serve` and get the model with `ollama pull {options.Ollama.Model}`. {skip}";
        }
    }

    /// <summary>Discovers the input folder and runs the episode of <paramref name="link"/>, the file's link in it.</summary>
    private static async Task<int> ProcessAsync(
        StandaloneHost host, string link, string file, EpisodeStage stage, ProcessRequest request, bool json, CliContext context)
    {
        var data = host.Services.GetRequiredService<DataLayout>();
        var site = host.Services.GetRequiredService<SiteLayout>();
        var key = host.Services.GetRequiredService<IOptions<Options.StandaloneHostOptions>>().Value.ApiKey;
        using var client = new PipelineClient(host.BaseAddress, key);
        if (!json)
        {
            context.Console.MarkupLine($"Processing [bold]{Markup.Escape(file)}[/] to {WireName.Of(stage)} in this process (data: {Markup.Escape(data.DataFolder)}).");
        }

        var discovered = await client.DiscoverAsync(context.Cancellation);
        // Found by its path, not by the id its name would give: talk.mp4 and talk.wav share that id, and the second
        // file discovered gets the id with a suffix.
        var episode = discovered.Value.Episodes.FirstOrDefault(e => e.MediaPath == link && !e.Missing);
        if (episode is null || episode.MediaStatus != MediaStatus.Ready)
        {
            await context.Error.WriteLineAsync(episode?.MediaProblem is { } why
                ? $"'{file}' cannot be processed: {why}"
                : $"'{file}' is not taken as media: its extension '{Path.GetExtension(file)}' is not one of Pipeline:Input:Extensions.");
            return ExitCodes.JobFailed;
        }

        var episodeId = episode.Id;
        var code = await ProcessCommand.SubmitAndFollowAsync(client, episodeId, request with { TargetStage = WireName.Of(stage) }, json, context,
            interrupted: _ => "Stopped; the job ended with this program. Run the command again to start over (a finished transcript is reused).",
            pageLink: false);
        if (code == ExitCodes.Ok && !json)
        {
            var (what, path) = stage switch
            {
                EpisodeStage.Rendered => ("Page", Path.Combine(site.EpisodeFolder(episodeId), SiteLayout.Page)),
                EpisodeStage.Enriched => ("Enrichment", data.EnrichmentPath(episodeId)),
                _ => ("Transcript", data.TranscriptTextPath(episodeId)),
            };
            context.Console.MarkupLine($"{what}: [bold]{Markup.Escape(path)}[/]");
            if (stage == EpisodeStage.Rendered)
            {
                context.Console.MarkupLine(
                    $"Open it in a browser, or serve the whole site ({Markup.Escape(site.OutputFolder)}) with `episodepipeline api` at /site/.");
            }
        }

        return code;
    }
}
