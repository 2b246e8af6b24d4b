using System.Text.Json;
using System.Text.Json.Nodes;
using EpisodePipeline.Host.Client;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using Spectre.Console;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// <c>smoke</c>: what the reference guide's test script did, against a running host: health, discover, submit (the
/// first ready episode, or <c>--episode</c>), follow the job with progress, stats. Each step says what it saw; the
/// first that fails says why (the HTTP status and problem detail, or the job's error) and sets the exit code. The
/// default stage is <c>transcribed</c> (needs only the Whisper model and FFmpeg); <c>--stage rendered</c> checks
/// Enrich and Render too.
/// </summary>
internal static class SmokeCommand
{
    private sealed class Report(CliContext context, bool json)
    {
        private readonly JsonArray _steps = [];

        public void Passed(string step, string summary, string? responseJson)
        {
            if (json)
            {
                _steps.Add(new JsonObject { ["step"] = step, ["ok"] = true, ["response"] = responseJson is null ? null : JsonNode.Parse(responseJson) });
            }
            else
            {
                context.Console.MarkupLine($"[green]ok[/]   {step,-8} {Markup.Escape(summary)}");
            }
        }

        public async Task<int> FailedAsync(string step, string why, int code, string? responseJson = null)
        {
            if (json)
            {
                _steps.Add(new JsonObject { ["step"] = step, ["ok"] = false, ["error"] = why, ["response"] = responseJson is null ? null : JsonNode.Parse(responseJson) });
            }
            else
            {
                context.Console.MarkupLine($"[red]FAIL[/] {step,-8} {Markup.Escape(why)}");
            }

            await context.Error.WriteLineAsync($"smoke: step '{step}' failed: {why}");
            return code;
        }

        public Task WriteJsonAsync() => json ? ClientCommands.PrintJsonAsync(context, _steps.ToJsonString()) : Task.CompletedTask;
    }

    public static async Task<int> RunAsync(ParsedArgs args, ClientSettings settings, CliContext context)
    {
        var stage = args.Option("--stage") ?? WireName.Of(EpisodeStage.Transcribed);
        var report = new Report(context, settings.Json);
        using var client = ClientCommands.CreateClient(settings);
        var code = await RunStepsAsync(client, args.Option("--episode"), stage, settings, report, context);
        await report.WriteJsonAsync();
        return code;
    }

    private static async Task<int> RunStepsAsync(PipelineClient client, string? episodeId, string stage, ClientSettings settings, Report report, CliContext context)
    {
        var step = "health";
        try
        {
            var health = await client.HealthAsync(context.Cancellation);
            report.Passed(step, $"{health.Value.Host} host, {health.Value.Backend} backend at {client.BaseAddress}", health.Json);

            step = "discover";
            var discovered = await client.DiscoverAsync(context.Cancellation);
            var d = discovered.Value;
            var ready = d.Episodes.Where(e => e.MediaStatus == MediaStatus.Ready && !e.Missing).ToList();
            var episode = episodeId is null ? ready.FirstOrDefault() : d.Episodes.FirstOrDefault(e => e.Id == episodeId);
            if (episode is null)
            {
                return await report.FailedAsync(step, episodeId is not null
                    ? $"no episode '{episodeId}' among the {d.Episodes.Count} the host knows ({string.Join(", ", d.Episodes.Take(5).Select(e => e.Id))})."
                    : $"no episode is ready to process: {d.Found} media files found, {d.Settling} settling, {d.Unreadable} unreadable. " +
                      "Put a media file into the host's input folder (Pipeline:Input:Folders, default media/); a new file is ready once it has not changed for Pipeline:Input:SettleSeconds.",
                    ExitCodes.JobFailed, discovered.Json);
            }

            report.Passed(step, $"{d.Found} media files, {d.Ready} ready; using episode {episode.Id}", discovered.Json);

            step = "submit";
            var submitted = await client.SubmitAsync(episode.Id, new ProcessRequest { EpisodeId = episode.Id, TargetStage = stage }, context.Cancellation);
            report.Passed(step, $"job {submitted.Value.JobId} to {stage}{(submitted.Value.Existing ? " (already under way)" : "")}", submitted.Json);

            step = "job";
            var job = await ProcessCommand.FollowAsync(client, submitted.Value.JobId, settings.Json, context);
            if (job.Value.Status != JobStatus.Completed)
            {
                return await report.FailedAsync(step,
                    $"job {job.Value.JobId} {WireName.Of(job.Value.Status)} at {WireName.Of(job.Value.CurrentStage)}: {job.Value.Error ?? job.Value.Message}",
                    ExitCodes.ForJob(job.Value.Status), job.Json);
            }

            report.Passed(step, $"completed: {job.Value.Message}", job.Json);

            step = "stats";
            var stats = await client.StatsAsync(context.Cancellation);
            var s = stats.Value;
            report.Passed(step, $"{s.Completed} completed, {s.Failed} failed, {s.Running} running, {s.Queued} queued of {s.Total}; {s.Episodes} episodes", stats.Json);
            return ExitCodes.Ok;
        }
        catch (ApiException e) when (!context.Cancellation.IsCancellationRequested)
        {
            return await report.FailedAsync(step, e.Message, ExitCodes.RequestFailed);
        }
    }
}
