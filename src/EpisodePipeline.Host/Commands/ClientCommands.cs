using System.Globalization;
using System.Text.Json;
using EpisodePipeline.Host.Client;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using Spectre.Console;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// The client commands that talk to a running host: <c>jobs list|show|cancel|retry</c>, <c>stats</c>,
/// <c>episodes discover|list</c>, <c>batch run</c>, and the entry of <c>process</c> and <c>smoke</c>. Each prints
/// Spectre tables for people, or with <c>--json</c> the API's JSON as received.
/// </summary>
internal static class ClientCommands
{
    /// <summary>One client command: its name words, its own options and flags, whether it takes configuration overrides, and what it does.</summary>
    private sealed record Command(
        string[] Words, string Usage, string[] Options, string[] Flags, Func<ParsedArgs, ClientSettings, CliContext, Task<int>> RunAsync, bool Configuration = false, int Positional = 0);

    private static readonly Command[] All =
    [
        new(["process"], "process EPISODE-ID|MEDIA-FILE [--stage transcribed|enriched|rendered] [--force] [--audio-track N]",
            ["--stage", "--audio-track"], ["--force"], ProcessCommand.RunAsync, Configuration: true, Positional: 1),
        new(["smoke"], "smoke [--episode ID] [--stage transcribed|enriched|rendered]", ["--episode", "--stage"], [], SmokeCommand.RunAsync),
        new(["jobs", "list"], "jobs list [--status queued|running|completed|failed|cancelled] [--episode ID] [--limit N] [--cursor C | --all]",
            ["--status", "--episode", "--limit", "--cursor"], ["--all"], ListJobsAsync),
        new(["jobs", "show"], "jobs show JOB-ID", [], [], ShowJobAsync, Positional: 1),
        new(["jobs", "cancel"], "jobs cancel JOB-ID", [], [], CancelJobAsync, Positional: 1),
        new(["jobs", "retry"], "jobs retry JOB-ID", [], [], RetryJobAsync, Positional: 1),
        new(["stats"], "stats", [], [], StatsAsync),
        new(["episodes", "discover"], "episodes discover", [], [], DiscoverAsync),
        new(["episodes", "list"], "episodes list", [], [], ListEpisodesAsync),
        new(["batch", "run"], "batch run [--target-stage transcribed|enriched|rendered]", ["--target-stage"], [], StartBatchAsync),
    ];

    /// <summary>The usage lines of every client command.</summary>
    public static IEnumerable<string> UsageLines => All.Select(c => c.Usage);

    /// <summary>True when <paramref name="args"/> start with a client command's first word.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && All.Any(c => c.Words[0] == args[0]);

    /// <summary>Runs the client command <paramref name="args"/> names; usage errors exit <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var command = All.FirstOrDefault(c => args.Length >= c.Words.Length && c.Words.SequenceEqual(args.Take(c.Words.Length)));
        if (args.Any(a => a is "--help" or "-h"))
        {
            await WriteUsageAsync(context, command is null ? All.Where(c => c.Words[0] == args[0]) : [command]);
            return ExitCodes.Ok;
        }

        if (command is null)
        {
            return await UsageAsync(context, $"Unknown command '{string.Join(' ', args.Take(2))}'.", All.Where(c => c.Words[0] == args[0]));
        }

        if (!ParsedArgs.TryParse(args[command.Words.Length..], [.. command.Options, .. ClientSettings.Options], [.. command.Flags, .. ClientSettings.Flags],
                command.Configuration, out var parsed, out var problem))
        {
            return await UsageAsync(context, problem, [command]);
        }

        if (parsed.Positional.Count != command.Positional)
        {
            var message = parsed.Positional.Count < command.Positional ? "An argument is missing." : $"Unexpected argument '{parsed.Positional[command.Positional]}'.";
            return await UsageAsync(context, message, [command]);
        }

        if (!ClientSettings.TryCreate(parsed, context.Environment, out var settings, out problem))
        {
            return await UsageAsync(context, problem, [command]);
        }

        try
        {
            return await command.RunAsync(parsed, settings, context);
        }
        catch (Exception) when (context.Cancellation.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("Stopped (Ctrl+C).");
            return ExitCodes.Interrupted;
        }
        catch (ApiException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return ExitCodes.RequestFailed;
        }
    }

    /// <summary>Prints <paramref name="problem"/> to the error output and the commands' usage; exits <see cref="ExitCodes.Usage"/>.</summary>
    private static async Task<int> UsageAsync(CliContext context, string problem, IEnumerable<Command> commands)
    {
        await context.Error.WriteLineAsync(problem);
        await WriteUsageAsync(context, commands);
        return ExitCodes.Usage;
    }

    private static async Task WriteUsageAsync(CliContext context, IEnumerable<Command> commands)
    {
        await context.Output.WriteLineAsync("usage:");
        foreach (var command in commands)
        {
            await context.Output.WriteLineAsync($"  episodepipeline {command.Usage} [--url URL] [--key KEY] [--json]");
        }
    }

    public static PipelineClient CreateClient(ClientSettings settings) => new(settings.Url, settings.Key);

    /// <summary>Prints the body as received, for scripts.</summary>
    public static Task PrintJsonAsync(CliContext context, string json) => context.Output.WriteLineAsync(json);

    /// <summary>One request: its JSON as received with <c>--json</c>, else <paramref name="show"/> for people.</summary>
    private static async Task<int> RequestAsync<T>(
        ClientSettings settings, CliContext context, Func<PipelineClient, CancellationToken, Task<ApiAnswer<T>>> request, Action<IAnsiConsole, T> show)
    {
        using var client = CreateClient(settings);
        var answer = await request(client, context.Cancellation);
        if (settings.Json)
        {
            await PrintJsonAsync(context, answer.Json);
        }
        else
        {
            show(context.Console, answer.Value);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ListJobsAsync(ParsedArgs args, ClientSettings settings, CliContext context)
    {
        var usage = All.Where(c => c.Words is ["jobs", "list"]);
        int? limit = null;
        if (args.Option("--limit") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return await UsageAsync(context, $"--limit must be a whole number; got '{text}'.", usage);
            }

            limit = value;
        }

        var all = args.Flag("--all");
        if (all && args.Option("--cursor") is not null)
        {
            return await UsageAsync(context, "--all reads every page from the first; it takes no --cursor.", usage);
        }

        var (status, episode) = (args.Option("--status"), args.Option("--episode"));
        if (!all)
        {
            using var single = CreateClient(settings);
            var page = await single.JobsAsync(status, episode, limit, args.Option("--cursor"), context.Cancellation);
            if (settings.Json)
            {
                await PrintJsonAsync(context, page.Json);
                return ExitCodes.Ok;
            }

            WriteJobs(context.Console, page.Value);
            if (PipelineClient.NextCursor(page.Next) is { } next)
            {
                // The same filters and host (never the key: it stays where it came from, --key or the environment).
                var filters = (status is null ? "" : $" --status {status}") + (episode is null ? "" : $" --episode {episode}") + (limit is null ? "" : $" --limit {limit}")
                    + (args.Option("--url") is { } url ? $" --url {url}" : "");
                context.Console.MarkupLine(Markup.Escape($"More jobs: episodepipeline jobs list{filters} --cursor {next}   (or --all for every page)"));
            }

            return ExitCodes.Ok;
        }

        // Every page, following the host's Link header; 100 a page unless --limit says otherwise.
        using var client = CreateClient(settings);
        var jobs = new List<JobResponse>();
        var bodies = new System.Text.Json.Nodes.JsonArray();
        string? cursor = null;
        do
        {
            var page = await client.JobsAsync(status, episode, limit ?? EpisodePipeline.Http.JobQueriesApi.MaxLimit, cursor, context.Cancellation);
            jobs.AddRange(page.Value);
            foreach (var job in System.Text.Json.Nodes.JsonNode.Parse(page.Json)!.AsArray())
            {
                bodies.Add(job!.DeepClone());
            }

            cursor = PipelineClient.NextCursor(page.Next);
        }
        while (cursor is not null);

        if (settings.Json)
        {
            await PrintJsonAsync(context, bodies.ToJsonString());
        }
        else
        {
            WriteJobs(context.Console, jobs);
        }

        return ExitCodes.Ok;
    }

    private static Task<int> ShowJobAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.JobAsync(args.Positional[0], ct), WriteJob);

    private static Task<int> CancelJobAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.CancelAsync(args.Positional[0], ct), (console, job) => console.MarkupLine(
            $"Cancelling job [bold]{Markup.Escape(job.JobId)}[/] ({StatusMarkup(job.Status)} at {Markup.Escape(WireName.Of(job.CurrentStage))}); it is cancelled in a moment."));

    private static Task<int> RetryJobAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.RetryAsync(args.Positional[0], ct), (console, job) =>
        {
            console.MarkupLine(
                $"Started job [bold]{Markup.Escape(job.JobId)}[/] for episode {Markup.Escape(job.EpisodeId ?? "?")}, retrying {Markup.Escape(job.RetryOf ?? args.Positional[0])}; it reuses every stage already done.");
            console.MarkupLine($"Follow it with: [blue]episodepipeline jobs show {Markup.Escape(job.JobId)}[/]");
        });

    private static Task<int> StatsAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.StatsAsync(ct), WriteStats);

    private static Task<int> DiscoverAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.DiscoverAsync(ct), (console, d) =>
        {
            console.MarkupLine(
                $"Found {d.Found} media files: {d.Added} added, {d.Changed} changed, {d.Missing} missing; [green]{d.Ready} ready[/], {d.Settling} settling, [red]{d.Unreadable} unreadable[/].");
            if (d.Skipped.Count > 0)
            {
                console.WriteLine($"Skipped (not media by extension): {string.Join(", ", d.Skipped.Select(s => $"{s.Value} {s.Key}"))}.");
            }

            foreach (var link in d.DanglingLinks)
            {
                console.WriteLine($"Link leads nowhere: {link.Path} -> {link.Target}");
            }

            WriteEpisodes(console, d.Episodes);
        });

    private static Task<int> ListEpisodesAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.EpisodesAsync(ct), WriteEpisodes);

    private static Task<int> StartBatchAsync(ParsedArgs args, ClientSettings settings, CliContext context) =>
        RequestAsync(settings, context, (c, ct) => c.StartBatchAsync(args.Option("--target-stage"), ct), (console, batch) =>
        {
            console.MarkupLine($"Started batch job [bold]{Markup.Escape(batch.JobId)}[/]: {Markup.Escape(batch.Message)}");
            console.MarkupLine($"Follow it with: [blue]episodepipeline jobs show {Markup.Escape(batch.JobId)}[/]");
        });

    private static void WriteJobs(IAnsiConsole console, List<JobResponse> jobs)
    {
        if (jobs.Count == 0)
        {
            console.WriteLine("No jobs.");
            return;
        }

        var table = new Table().AddColumns("job", "type", "status", "stage", "progress", "episode", "created", "message");
        foreach (var job in jobs)
        {
            table.AddRow(
                Markup.Escape(job.JobId), Markup.Escape(job.JobType), StatusMarkup(job.Status), Markup.Escape(WireName.Of(job.CurrentStage)),
                $"{job.Progress:0}%", Markup.Escape(job.EpisodeId ?? ""), Markup.Escape(Time(job.CreatedAt)), Markup.Escape(job.Error ?? job.Message));
        }

        console.Write(table);
    }

    private static string StatusMarkup(JobStatus status) => status switch
    {
        JobStatus.Completed => "[green]completed[/]",
        JobStatus.Failed => "[red]failed[/]",
        JobStatus.Cancelled => "[yellow]cancelled[/]",
        var s => WireName.Of(s),
    };

    private static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A job as a two-column grid: its fields, then the result's plain values and artifacts (not the transcript).</summary>
    private static void WriteJob(IAnsiConsole console, JobResponse job)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                grid.AddRow($"[grey]{name}[/]", Markup.Escape(value));
            }
        }

        Row("job", job.JobId);
        Row("type", job.JobType);
        grid.AddRow("[grey]status[/]", StatusMarkup(job.Status));
        Row("stage", $"{WireName.Of(job.CurrentStage)} ({job.Progress:0}%)");
        Row("message", job.Message);
        Row("eta", job.EtaSeconds is { } eta && job.Status == JobStatus.Running ? JobProgress.FormatSeconds(eta) : null);
        Row("episode", job.EpisodeId);
        Row("target", job.TargetStage is { } target ? WireName.Of(target) : null);
        Row("created", Time(job.CreatedAt));
        Row("updated", Time(job.UpdatedAt));
        Row("error", job.Error);
        if (job.Result is { ValueKind: JsonValueKind.Object } result)
        {
            foreach (var property in result.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        Row(property.Name, property.Value.ToString());
                        break;
                    case JsonValueKind.Object when property.Name == "artifacts":
                        foreach (var artifact in property.Value.EnumerateObject())
                        {
                            Row($"artifact {artifact.Name}", artifact.Value.ToString());
                        }

                        break;
                    case JsonValueKind.Array when property.Name == "warnings":
                        foreach (var warning in property.Value.EnumerateArray())
                        {
                            Row("warning", warning.ToString());
                        }

                        break;
                }
            }
        }

        if (job.Webhook is { } hook)
        {
            Row("webhook", hook.Delivered ? $"delivered after {hook.Attempts} attempt(s)" : $"not delivered after {hook.Attempts} attempt(s): {hook.LastError}");
        }

        console.Write(grid);
    }

    private static void WriteStats(IAnsiConsole console, StatsResponse stats) => console.Write(new Table()
        .AddColumns("queued", "running", "completed", "failed", "cancelled", "total", "max workers", "episodes")
        .AddRow(Number(stats.Queued), Number(stats.Running), $"[green]{Number(stats.Completed)}[/]", $"[red]{Number(stats.Failed)}[/]",
            $"[yellow]{Number(stats.Cancelled)}[/]", Number(stats.Total), Number(stats.MaxWorkers), Number(stats.Episodes)));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteEpisodes(IAnsiConsole console, IReadOnlyList<Episode> episodes)
    {
        if (episodes.Count == 0)
        {
            console.WriteLine("No episodes. Put media files into the host's input folders (Pipeline:Input:Folders, default media/) and run `episodes discover`.");
            return;
        }

        var table = new Table().AddColumns("episode", "stage", "media", "duration", "title");
        foreach (var episode in episodes)
        {
            var media = episode.Missing ? "[red]missing[/]" : episode.MediaStatus switch
            {
                MediaStatus.Ready => "[green]ready[/]",
                MediaStatus.Unreadable => $"[red]unreadable[/] {Markup.Escape(episode.MediaProblem ?? "")}",
                var s => Markup.Escape(WireName.Of(s)),
            };
            table.AddRow(Markup.Escape(episode.Id), Markup.Escape(WireName.Of(episode.Stage)), media,
                episode.DurationSeconds is { } d ? JobProgress.FormatSeconds(d) : "", Markup.Escape(episode.Title));
        }

        console.Write(table);
    }
}
