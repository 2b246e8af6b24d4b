using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Http;

/// <summary>
/// <c>POST /async/episodes/{id}/process</c>: validate, start or join the episode's job (<see cref="EpisodeJobs"/>),
/// answer 202 with the job to poll. Every refusal happens before anything is recorded or scheduled.
/// </summary>
public static class JobsApi
{
    /// <summary>Submit bodies are a few small fields; anything larger is a mistake.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>Seconds a client should wait before its first poll.</summary>
    public const int RetryAfterSeconds = 5;

    public static async Task<Results<Accepted<SubmitResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        string id,
        HttpRequest request,
        EpisodeCatalog catalog,
        EpisodeJobs jobs,
        DurableTaskClient client,
        ApiLinks links,
        IOptions<PipelineOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(ApiLog.Category);
        var (submit, unreadable, malformed) = await JsonBody.ReadAsync<ProcessRequest>(request, MaxBodyBytes, "process request", logger, cancellationToken);
        if (submit is null)
        {
            return unreadable is not null ? unreadable : malformed!;
        }

        var errors = Validate(id, submit, out var target);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var episode = await catalog.FindAsync(id, cancellationToken);
        if (episode is null)
        {
            return ApiProblems.EpisodeNotFound(id);
        }

        if (Refusal(episode, target, submit, options.Value.Webhook) is { } refusal)
        {
            return refusal;
        }

        var input = new ProcessEpisodeInput(id, target, submit.ForceReprocess ?? false, submit.WebhookUrl, submit.AudioTrack);
        var (answer, problem) = await StartOrJoinAsync(input, request.HttpContext.Response, jobs, client, links, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Accepted(answer!.StatusUrl, answer);
    }

    /// <summary>
    /// Starts the episode's job, or joins the one queued or running (<see cref="EpisodeJobs"/>), and says where to poll
    /// it (also in <c>Retry-After</c>); a 500 problem naming the data folder when the catalog cannot record it.
    /// Shared by submit and retry (<see cref="JobControlApi.RetryAsync"/>).
    /// </summary>
    internal static async Task<(SubmitResponse? Answer, ProblemHttpResult? Problem)> StartOrJoinAsync(
        ProcessEpisodeInput input, HttpResponse response, EpisodeJobs jobs, DurableTaskClient client, ApiLinks links, ILogger logger, CancellationToken cancellationToken)
    {
        JobTicket job;
        try
        {
            job = await jobs.StartOrJoinAsync(client, input, cancellationToken);
        }
        catch (JobNotStartedException ex)
        {
            logger.JobNotStarted(input.EpisodeId, ex.Message);
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The job could not be recorded.", detail: ex.Message));
        }

        var statusUrl = links.Job(job.JobId);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = job.Existing ? $"Episode '{input.EpisodeId}' already has job {job.JobId} queued or running; poll {statusUrl} for its status."
            : input.RetryOf is { } retried ? $"Job {retried} retried as a new job that reuses every stage already done. Poll {statusUrl} for status."
            : $"Episode processing queued. Poll {statusUrl} for status.";
        return (new SubmitResponse(job.JobId, JobStatus.Queued, message, statusUrl, input.EpisodeId, job.Existing, input.RetryOf), null);
    }

    /// <summary>Field by field: what the body says, without looking at the episode.</summary>
    private static Dictionary<string, string[]> Validate(string id, ProcessRequest submit, out EpisodeStage target)
    {
        var errors = new Dictionary<string, string[]>();
        if (submit.EpisodeId is not null && submit.EpisodeId != id)
        {
            errors["episode_id"] = [$"The body names episode '{submit.EpisodeId}' but the URL names '{id}'; they must match (or leave episode_id out)."];
        }

        target = JobRequestRules.TargetStage(submit.TargetStage ?? WireName.Of(EpisodeStage.Rendered), errors);
        JobRequestRules.WebhookUrl(submit.WebhookUrl, errors);

        if (submit.AudioTrack < 0)
        {
            errors["audio_track"] = [$"audio_track counts the file's audio streams from 0; got {submit.AudioTrack}."];
        }

        return errors;
    }

    /// <summary>Why this episode cannot be processed as asked (422, or 409 while its file is still arriving); null when it can.</summary>
    internal static ProblemHttpResult? Refusal(Episode episode, EpisodeStage target, ProcessRequest submit, WebhookOptions webhook)
    {
        // The URL's form is checked with the body; whether this host may and can call it (allow-list, signing secret) here.
        if (JobRequestRules.Unreachable(target, submit.WebhookUrl, webhook) is { } unreachable)
        {
            return ApiProblems.Unprocessable(unreachable);
        }

        if (episode.Missing)
        {
            return ApiProblems.Unprocessable($"The media file of episode '{episode.Id}' is gone ('{episode.MediaPath}'). Restore it and run discovery again.");
        }

        switch (episode.MediaStatus)
        {
            case MediaStatus.Unreadable:
                return ApiProblems.Unprocessable($"'{Path.GetFileName(episode.MediaPath)}' (episode '{episode.Id}') cannot be processed. {episode.MediaProblem ?? "It cannot be read as audio or video."}");
            case MediaStatus.Settling:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The media file is still arriving.",
                    detail: $"The media file of episode '{episode.Id}' is still being copied in{(episode.MediaProblem is { } why ? $" ({why})" : "")}; try again after it has stopped changing and POST /{ApiRoutes.Discover} shows it ready.");
        }

        if (submit.AudioTrack is { } track && episode.AudioTracks.Count > 0 && track >= episode.AudioTracks.Count)
        {
            return ApiProblems.Unprocessable(
                $"Episode '{episode.Id}' has no audio track {track}; its tracks are {string.Join("; ", episode.AudioTracks.Select(Describe))}.");
        }

        return null;
    }

    private static string Describe(AudioTrack track) =>
        $"{track.Index} ({string.Join(", ", new[] { track.Language, track.ChannelLayout ?? $"{track.Channels} ch", track.Codec, track.IsDefault ? "default" : null }.Where(p => p is not null))})";

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) => ApiProblems.Invalid(errors, "The process request is invalid.");
}
