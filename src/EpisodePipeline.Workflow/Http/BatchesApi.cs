using System.Globalization;
using EpisodePipeline.Jobs;
using EpisodePipeline.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Http;

/// <summary>
/// <c>POST /async/batches</c>: starts a NightlyBatch job by hand (<see cref="BatchJobs.StartNowAsync"/>), the same batch
/// the schedule starts, under a random job id. Every refusal happens before anything is scheduled.
/// </summary>
public static class BatchesApi
{
    /// <summary>
    /// Body (optional) <c>{"target_stage": "rendered", "webhook_url": "..."}</c>, each field defaulting to
    /// <c>Pipeline:Batch</c>. 202 with <see cref="BatchSubmitResponse"/>, <c>Location</c> and <c>Retry-After</c>; 400 for
    /// malformed JSON or fields; 413, 415 as for a submit; 422 for a stage this build cannot reach or a webhook this host
    /// may not or cannot call.
    /// </summary>
    public static async Task<Results<Accepted<BatchSubmitResponse>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request,
        BatchJobs batches,
        DurableTaskClient client,
        ApiLinks links,
        IOptions<PipelineOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (start, unreadable, malformed) = await JsonBody.ReadAsync<BatchRequest>(
            request, JobsApi.MaxBodyBytes, "batch request", loggers.CreateLogger(ApiLog.Category), cancellationToken);
        if (start is null)
        {
            return unreadable is not null ? unreadable : malformed!;
        }

        var errors = new Dictionary<string, string[]>();
        Models.EpisodeStage? target = start.TargetStage is { } name ? JobRequestRules.TargetStage(name, errors) : null;
        JobRequestRules.WebhookUrl(start.WebhookUrl, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "The batch request is invalid.");
        }

        // Without a target in the body the batch takes Pipeline:Batch:TargetStage's, which was checked at start.
        if (JobRequestRules.Unreachable(target ?? Models.EpisodeStage.Discovered, start.WebhookUrl, options.Value.Webhook) is { } unreachable)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The batch cannot be started as asked.", detail: unreachable);
        }

        var jobId = await batches.StartNowAsync(client, target, start.WebhookUrl, cancellationToken);
        var statusUrl = links.Job(jobId);
        request.HttpContext.Response.Headers.RetryAfter = JobsApi.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Accepted(statusUrl, new BatchSubmitResponse(
            jobId, JobStatus.Queued, $"Batch queued: discovery, then every episode below the target stage. Poll {statusUrl} for status.", statusUrl, JobTypes.Batch));
    }
}
