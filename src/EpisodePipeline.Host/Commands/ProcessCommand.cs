using System.Globalization;
using System.Text.Json;
using EpisodePipeline.Host.Client;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using Spectre.Console;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// <c>process EPISODE-ID</c>: submits the episode to a running host and follows the job to its end.
/// <c>process MEDIA-FILE</c> (an existing file, or any argument with a dot or a slash, which an episode id never has)
/// runs the whole workflow in this process instead (<see cref="LocalProcessRun"/>).
/// </summary>
internal static class ProcessCommand
{
    public static async Task<int> RunAsync(ParsedArgs args, ClientSettings settings, CliContext context)
    {
        var target = args.Positional[0];
        if (!TryReadRequest(args, out var stage, out var request, out var problem))
        {
            await context.Error.WriteLineAsync(problem);
            return ExitCodes.Usage;
        }

        if (File.Exists(target) || !EpisodeIds.IsValid(target))
        {
            if (!File.Exists(target))
            {
                await context.Error.WriteLineAsync(
                    $"'{target}' is neither an existing media file nor an episode id (ids are lower-case letters, digits, '-' and '_'; list them with `episodepipeline episodes list`).");
                return ExitCodes.Usage;
            }

            return await LocalProcessRun.RunAsync(Path.GetFullPath(target), stage ?? EpisodeStage.Rendered, request, args.Configuration, settings.Json, context);
        }

        if (args.Configuration.Count > 0)
        {
            await context.Error.WriteLineAsync(
                $"'{args.Configuration[0]}' configures a host; it applies to `process MEDIA-FILE` only. A running host has its own configuration.");
            return ExitCodes.Usage;
        }

        using var client = ClientCommands.CreateClient(settings);
        return await SubmitAndFollowAsync(client, target, request, settings.Json, context, interrupted: id =>
            $"Stopped following job {id}; it goes on. See it with `episodepipeline jobs show {id}`, stop it with `episodepipeline jobs cancel {id}`.");
    }

    /// <summary>The process body from <c>--stage</c>, <c>--force</c> and <c>--audio-track</c>; the stage is checked here so a local run knows it.</summary>
    private static bool TryReadRequest(ParsedArgs args, out EpisodeStage? stage, out ProcessRequest request, out string problem)
    {
        stage = null;
        request = new ProcessRequest();
        problem = "";
        if (args.Option("--stage") is { } name)
        {
            if (!WireName.TryParse<EpisodeStage>(name, out var parsed) || parsed == EpisodeStage.Discovered)
            {
                problem = $"--stage must be transcribed, enriched or rendered; got '{name}'.";
                return false;
            }

            stage = parsed;
        }

        int? track = null;
        if (args.Option("--audio-track") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                problem = $"--audio-track must be a whole number from 0 (the file's first audio track); got '{text}'.";
                return false;
            }

            track = value;
        }

        request = new ProcessRequest
        {
            TargetStage = stage is { } s ? WireName.Of(s) : null,
            ForceReprocess = args.Flag("--force") ? true : null,
            AudioTrack = track,
        };
        return true;
    }

    /// <summary>
    /// Submits, follows the job with a progress bar (or silently with <paramref name="json"/>, then prints the final job's JSON),
    /// and prints how it ended; exits by the job's status (<see cref="ExitCodes.ForJob"/>). Ctrl+C prints <paramref name="interrupted"/>.
    /// </summary>
    public static async Task<int> SubmitAndFollowAsync(
        PipelineClient client, string episodeId, ProcessRequest request, bool json, CliContext context, Func<string, string> interrupted, bool pageLink = true)
    {
        var submitted = await client.SubmitAsync(episodeId, request with { EpisodeId = episodeId }, context.Cancellation);
        var jobId = submitted.Value.JobId;
        if (!json)
        {
            context.Console.MarkupLine(submitted.Value.Existing
                ? $"Episode [bold]{Markup.Escape(episodeId)}[/] already has job [bold]{Markup.Escape(jobId)}[/] under way; following it."
                : $"Job [bold]{Markup.Escape(jobId)}[/] queued for episode [bold]{Markup.Escape(episodeId)}[/].");
        }

        ApiAnswer<JobResponse> job;
        try
        {
            job = await FollowAsync(client, jobId, json, context);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync(interrupted(jobId));
            return ExitCodes.Interrupted;
        }

        if (json)
        {
            await ClientCommands.PrintJsonAsync(context, job.Json);
        }
        else
        {
            WriteOutcome(context.Console, job.Value, pageLink);
        }

        return ExitCodes.ForJob(job.Value.Status);
    }

    /// <summary>Follows a job to its end: with progress for people, silently for <c>--json</c>.</summary>
    public static Task<ApiAnswer<JobResponse>> FollowAsync(PipelineClient client, string jobId, bool json, CliContext context)
    {
        var progress = new JobProgress(context.Console);
        Task<ApiAnswer<JobResponse>> Read(CancellationToken cancellationToken) => client.JobAsync(jobId, cancellationToken);
        return json ? progress.WaitAsync(Read, context.Cancellation) : progress.FollowAsync(Read, context.Cancellation);
    }

    /// <summary>One line on how the job ended: its message (and with <paramref name="pageLink"/> its page's URL), or its error.</summary>
    public static void WriteOutcome(IAnsiConsole console, JobResponse job, bool pageLink = true)
    {
        switch (job.Status)
        {
            case JobStatus.Completed:
                console.MarkupLine($"[green]Completed[/] job {Markup.Escape(job.JobId)}: {Markup.Escape(job.Message)}");
                if (pageLink && job.Result is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("page_url", out var page) && page.ValueKind == JsonValueKind.String)
                {
                    console.MarkupLine($"Page: [link]{Markup.Escape(page.GetString()!)}[/]");
                }

                break;
            case JobStatus.Cancelled:
                console.MarkupLine($"[yellow]Cancelled[/] job {Markup.Escape(job.JobId)} at {Markup.Escape(WireName.Of(job.CurrentStage))}.");
                break;
            default:
                console.MarkupLine($"[red]Failed[/] job {Markup.Escape(job.JobId)} at {Markup.Escape(WireName.Of(job.CurrentStage))}: {Markup.Escape(job.Error ?? job.Message)}");
                break;
        }
    }
}
