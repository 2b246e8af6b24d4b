using System.Text.Json.Serialization;
using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Services.Webhooks;
using Microsoft.DurableTask;

namespace EpisodePipeline.Orchestrations;

/// <summary>What to announce when a job ends.</summary>
/// <param name="Url">The job's <c>webhook_url</c>.</param>
/// <param name="EpisodeId">The ProcessEpisode job's episode; null for a batch.</param>
/// <param name="Status"><see cref="JobStatus.Completed"/> or <see cref="JobStatus.Failed"/>.</param>
/// <param name="Result">The ProcessEpisode job's result; null for a failed job (the payload then carries the episode as the catalog has it).</param>
/// <param name="Error">Why the job failed, as a person should read it.</param>
/// <param name="Batch">A batch's summary; when set, the notification is the batch's (<c>batch.completed</c>, <c>batch.failed</c>).</param>
public sealed record WebhookNotification(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("episode_id")] string? EpisodeId,
    [property: JsonPropertyName("status")] JobStatus Status,
    [property: JsonPropertyName("result")] ProcessEpisodeResult? Result,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("batch")] BatchResult? Batch = null)
{
    public static WebhookNotification Completed(string url, string jobId, ProcessEpisodeResult result) =>
        new(url, jobId, result.EpisodeId, JobStatus.Completed, result, null);

    public static WebhookNotification Failed(string url, string jobId, string episodeId, string error) =>
        new(url, jobId, episodeId, JobStatus.Failed, null, error);

    /// <summary>A batch's summary: completed, or failed with <paramref name="error"/> (the summary then says how far it got).</summary>
    public static WebhookNotification ForBatch(string url, string batchId, BatchResult summary, string? error) =>
        new(url, batchId, null, error is null ? JobStatus.Completed : JobStatus.Failed, null, error, summary);
}

/// <summary>
/// The NotifyWebhook step a job runs after it completed or failed: prepare once, then deliver with retries.
/// The retries are the orchestration's: a retry handler waits on durable timers with exponential backoff
/// (<c>Pipeline:Webhook</c>), so a host restart resumes them where they were, and it counts the attempts
/// exactly, because the handler is called once per failed attempt, in order, on every replay.
/// </summary>
internal static class NotifySteps
{
    /// <summary>
    /// Delivers <paramref name="notification"/> and says how it went. Never throws for a delivery problem:
    /// a webhook that never gets through must not change the job's own status or result.
    /// </summary>
    public static async Task<WebhookOutcome> RunAsync(TaskOrchestrationContext context, WebhookNotification notification)
    {
        var plan = await context.CallActivityAsync<WebhookPlan>(nameof(PrepareWebhookActivity), notification);
        if (plan.Delivery is null)
        {
            return new WebhookOutcome { Delivered = false, Attempts = 0, LastError = plan.Refused, WebhookId = plan.WebhookId };
        }

        var failed = 0;
        var retry = TaskOptions.FromRetryHandler(async attempt =>
        {
            failed = attempt.LastAttemptNumber;
            if (failed >= plan.Retry.MaxAttempts || attempt.LastFailure.IsCausedBy<WebhookRefusedException>())
            {
                return false;
            }

            await attempt.OrchestrationContext.CreateTimer(plan.Retry.DelayAfter(failed), attempt.CancellationToken);
            return true;
        });

        try
        {
            var sent = await context.CallActivityAsync<WebhookAttempt>(nameof(NotifyWebhookActivity), plan.Delivery, retry);
            return new WebhookOutcome { Delivered = true, Attempts = failed + 1, LastStatus = sent.Status, WebhookId = plan.WebhookId };
        }
        catch (TaskFailedException ex)
        {
            var error = ex.FailureDetails.ErrorMessage;
            var attempts = Math.Max(failed, 1);
            context.CreateReplaySafeLogger(nameof(NotifySteps)).WebhookGaveUp(notification.JobId, plan.WebhookId, attempts, error);
            return new WebhookOutcome
            {
                Delivered = false,
                Attempts = attempts,
                LastStatus = WebhookDeliveryException.StatusOf(error),
                LastError = error,
                WebhookId = plan.WebhookId,
            };
        }
    }
}
