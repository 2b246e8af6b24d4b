using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Http;

/// <summary>Changing jobs: cancel one, retry one, purge finished ones from the durable store.</summary>
public static partial class JobControlApi
{
    /// <summary>The output a cancelled job keeps; the job API shows it as the job's <c>error</c>.</summary>
    public const string CancelledReason = "Cancelled by request.";

    /// <summary>
    /// <c>DELETE /async/jobs/{id}</c>: cancels a queued or running job by terminating its orchestration, so nothing
    /// further is scheduled for it (a slice being transcribed finishes, its result is dropped, no next slice starts).
    /// 202 with the job as it stands (it shows <c>cancelled</c> moments later); 404 unknown; 409 when it has ended.
    /// </summary>
    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> CancelAsync(
        string id, DurableTaskClient client, EpisodeCatalog catalog, ApiLinks links, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await FindJobAsync(id, client, cancellationToken) is not { } metadata)
        {
            return ApiProblems.JobNotFound(id);
        }

        var job = JobStatusMapper.Map(metadata);
        if (!JobStatusMapper.IsActive(metadata.RuntimeStatus))
        {
            return ApiProblems.JobConflict(
                "The job has already ended.",
                $"Job {job.JobId} is {WireName.Of(job.Status)}; only a queued or running job can be cancelled." + (job.JobType, IsRetryable(job.Status)) switch
                {
                    (JobTypes.Batch, _) => $" To run the batch again, start a new one with POST /{ApiRoutes.Batches}.",
                    (_, true) => $" Retry it with POST {ApiRoutes.JobRetryPath(job.JobId)}.",
                    _ => "",
                });
        }

        // Recursive: a job's sub-orchestrations stop with it where the backend supports that.
        await client.TerminateInstanceAsync(job.JobId, new TerminateInstanceOptions(CancelledReason, Recursive: true), cancellationToken);
        if (job.JobType == JobTypes.Batch)
        {
            await CancelBatchJobsAsync(job.JobId, client, catalog, cancellationToken);
        }

        loggers.CreateLogger(ApiLog.Category).JobCancelled(job.JobId, job.EpisodeId);
        return TypedResults.Accepted(links.Job(job.JobId), job);
    }

    /// <summary>
    /// Terminates the episode jobs a cancelled batch is running. Not every backend honours a recursive termination (the
    /// in-process sidecar and the Functions host terminate the batch alone), so each job the batch recorded in the
    /// catalog as an episode's active job (<see cref="Models.Episode.ActiveBatchId"/>) is terminated too. The batch,
    /// terminated first, starts no other.
    /// </summary>
    private static async Task CancelBatchJobsAsync(string batchId, DurableTaskClient client, EpisodeCatalog catalog, CancellationToken cancellationToken)
    {
        foreach (var episode in await catalog.ListAsync(cancellationToken))
        {
            if (episode.ActiveBatchId != batchId || episode.ActiveJobId is not { } jobId)
            {
                continue;
            }

            var child = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken);
            if (child is not null && JobStatusMapper.IsActive(child.RuntimeStatus))
            {
                await client.TerminateInstanceAsync(jobId, new TerminateInstanceOptions(CancelledReason, Recursive: true), cancellationToken);
            }
        }
    }

    /// <summary>
    /// <c>POST /async/jobs/{id}/retry</c>: a new job for a failed or cancelled one, with the same episode, target stage,
    /// webhook and audio track, reusing every stage already done (never <c>force_reprocess</c>). 202 with the new job
    /// and <c>retry_of</c>; if the episode already has a job queued or running, that job comes back (<c>existing</c>),
    /// as with a submit. 404 unknown; 409 when the job did not fail and was not cancelled; 422 when the episode can no
    /// longer be processed as the job asked (gone from the catalog, media missing or unreadable).
    /// </summary>
    public static async Task<Results<Accepted<SubmitResponse>, ProblemHttpResult>> RetryAsync(
        string id,
        HttpResponse response,
        EpisodeCatalog catalog,
        EpisodeJobs jobs,
        DurableTaskClient client,
        ApiLinks links,
        IOptions<PipelineOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (await FindJobAsync(id, client, cancellationToken) is not { } metadata)
        {
            return ApiProblems.JobNotFound(id);
        }

        var job = JobStatusMapper.Map(metadata);
        if (!IsRetryable(job.Status))
        {
            return ApiProblems.JobConflict(
                "Only a failed or cancelled job can be retried.",
                $"Job {job.JobId} is {WireName.Of(job.Status)}. " + (job.Status == JobStatus.Completed
                    ? $"To run its episode again, submit POST /{ApiRoutes.Process.Replace("{id}", job.EpisodeId, StringComparison.Ordinal)} (with force_reprocess to redo finished stages)."
                    : $"Wait for it to end, or cancel it with DELETE {ApiRoutes.JobPath(job.JobId)}."));
        }

        if (job.JobType != JobTypes.ProcessEpisode)
        {
            return ApiProblems.JobConflict("The job cannot be retried.", $"Job {job.JobId} is a {job.JobType} job; only {JobTypes.ProcessEpisode} jobs can be retried. Start a new one instead.");
        }

        if (ReadInput(metadata) is not { } input)
        {
            return ApiProblems.JobConflict("The job cannot be retried.", $"The input of job {job.JobId} cannot be read back; submit its episode again instead.");
        }

        var episode = await catalog.FindAsync(input.EpisodeId, cancellationToken);
        if (episode is null)
        {
            return ApiProblems.Unprocessable($"Episode '{input.EpisodeId}' of job {job.JobId} is no longer in the catalog. Run POST /{ApiRoutes.Discover} after restoring its media.");
        }

        var asked = new ProcessRequest { WebhookUrl = input.WebhookUrl, AudioTrack = input.AudioTrack };
        if (JobsApi.Refusal(episode, input.TargetStage, asked, options.Value.Webhook) is { } refusal)
        {
            return refusal;
        }

        var logger = loggers.CreateLogger(ApiLog.Category);
        var (answer, problem) = await JobsApi.StartOrJoinAsync(
            input with { ForceReprocess = false, RetryOf = job.JobId }, response, jobs, client, links, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!answer!.Existing)
        {
            logger.JobRetried(answer.JobId, input.EpisodeId, job.JobId);
        }

        return TypedResults.Accepted(answer.StatusUrl, answer);
    }

    /// <summary>
    /// <c>DELETE /async/jobs?before=2026-01-01T00:00:00Z</c>: purges every job that has ended (completed, failed,
    /// cancelled) and was created before the instant from the durable store; queued and running jobs stay, and so do
    /// artifacts. 200 <c>{purged, before}</c>; 400 when <c>before</c> is missing or not an ISO 8601 instant, or when the
    /// query names any other parameter (but the key's <c>code</c>): a guess such as <c>dry=1</c> must not purge for real.
    /// </summary>
    public static async Task<Results<Ok<PurgeResponse>, ValidationProblem>> PurgeAsync(
        [FromQuery(Name = ApiRoutes.Query.Before)] string? before,
        HttpRequest request,
        DurableTaskClient client,
        JobIndex index,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var unknown = request.Query.Keys.Where(k => k is not (ApiRoutes.Query.Before or ApiRoutes.Query.Code)).ToList();
        if (unknown.Count > 0)
        {
            return ApiProblems.Invalid(
                unknown.ToDictionary(k => k, k => new[] { $"The purge knows no parameter '{k}', only {ApiRoutes.Query.Before}; nothing was purged. There is no dry run: GET /{ApiRoutes.Jobs} lists the jobs first." }),
                "The purge request is invalid.");
        }

        if (!TryParseInstant(before, out var instant))
        {
            const string Example = "an ISO 8601 date or time such as 2026-01-01 or 2026-01-01T00:00:00Z (UTC unless it names an offset, written %2B02:00 in a URL)";
            var error = before is null
                ? $"before is required: {Example}. Finished jobs created before it are purged."
                : $"'{before}' is not {Example}.";
            return ApiProblems.Invalid(new() { [ApiRoutes.Query.Before] = [error] }, "The purge request is invalid.");
        }

        var purged = await index.PurgeFinishedAsync(client, instant, cancellationToken);
        loggers.CreateLogger(ApiLog.Category).JobsPurged(purged, instant);
        return TypedResults.Ok(new PurgeResponse(purged, instant));
    }

    /// <summary>
    /// An ISO 8601 date or date and time (UTC unless it names an offset), as UTC. A <c>+</c> before the offset that
    /// reached us as a space (an unencoded <c>+</c> in a query string) is read as <c>+</c>.
    /// </summary>
    internal static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null)
        {
            return false;
        }

        var iso = OffsetAfterSpace().Replace(text.Trim(), "$1+$2");
        return IsoInstant().IsMatch(iso)
            && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();

    [GeneratedRegex(@"(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?) (\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetAfterSpace();

    private static bool IsRetryable(JobStatus status) => status is JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>The job with id <paramref name="id"/> (any GUID spelling), with its input and output; null when there is none.</summary>
    private static async Task<OrchestrationMetadata?> FindJobAsync(string id, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!EpisodeJobs.TryNormalizeJobId(id, out var jobId))
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken);
        return metadata is not null && JobTypes.IsJob(metadata.Name) ? metadata : null;
    }

    private static ProcessEpisodeInput? ReadInput(OrchestrationMetadata metadata)
    {
        try
        {
            return metadata.ReadInputAs<ProcessEpisodeInput>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
