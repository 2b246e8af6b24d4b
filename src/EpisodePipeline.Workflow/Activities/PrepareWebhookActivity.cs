using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Webhooks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

/// <summary>What one attempt sends: recorded once in history, so every attempt sends the same id and body.</summary>
public sealed record WebhookDelivery(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("webhook_id")] string WebhookId,
    [property: JsonPropertyName("payload")] WebhookPayload Payload);

/// <summary>The retry schedule from <c>Pipeline:Webhook</c>, read here so replays of the orchestration see one value.</summary>
public sealed record WebhookRetry(
    [property: JsonPropertyName("max_attempts")] int MaxAttempts,
    [property: JsonPropertyName("first_retry_seconds")] double FirstRetrySeconds,
    [property: JsonPropertyName("backoff_coefficient")] double BackoffCoefficient,
    [property: JsonPropertyName("max_retry_seconds")] double MaxRetrySeconds)
{
    /// <summary>The wait after failed attempt number <paramref name="failedAttempt"/> (1-based): exponential, capped.</summary>
    public TimeSpan DelayAfter(int failedAttempt) =>
        TimeSpan.FromSeconds(Math.Min(FirstRetrySeconds * Math.Pow(BackoffCoefficient, failedAttempt - 1), MaxRetrySeconds));

    internal static WebhookRetry From(WebhookOptions options) =>
        new(options.MaxAttempts, options.FirstRetrySeconds, options.BackoffCoefficient, options.MaxRetrySeconds);
}

/// <param name="Delivery">What to send; null when <paramref name="Refused"/> says why nothing may be sent.</param>
public sealed record WebhookPlan(
    [property: JsonPropertyName("webhook_id")] string WebhookId,
    [property: JsonPropertyName("delivery")] WebhookDelivery? Delivery,
    [property: JsonPropertyName("retry")] WebhookRetry Retry,
    [property: JsonPropertyName("refused")] string? Refused);

/// <summary>
/// Checks the URL and the secret against the configuration, builds the payload once (a failed job's
/// <c>result</c> is the episode as the catalog has it) and reads the retry schedule.
/// </summary>
public sealed class PrepareWebhookActivity(
    EpisodeCatalog catalog,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<PrepareWebhookActivity> logger) : TaskActivity<WebhookNotification, WebhookPlan>
{
    public override async Task<WebhookPlan> RunAsync(TaskActivityContext context, WebhookNotification input)
    {
        var webhook = options.Value.Webhook;
        var id = WebhookPolicy.WebhookId(input.JobId);
        var retry = WebhookRetry.From(webhook);
        if ((WebhookPolicy.CheckReady(webhook) ?? WebhookPolicy.CheckUrl(input.Url, webhook)) is { } refusal)
        {
            logger.WebhookRefused(input.JobId, id, refusal);
            return new WebhookPlan(id, null, retry, refusal);
        }

        var failed = input.Status != JobStatus.Completed;
        var batch = input.Batch;
        var payload = new WebhookPayload
        {
            Type = $"{(batch is null ? "job" : "batch")}.{WireName.Of(input.Status)}",
            JobType = batch is null ? JobTypes.ProcessEpisode : JobTypes.Batch,
            Timestamp = time.GetUtcNow(),
            JobId = input.JobId,
            Status = input.Status,
            Result = (object?)batch ?? input.Result ?? await AsFarAsItGotAsync(input.EpisodeId ?? ""),
            Error = failed ? input.Error ?? "The job did not complete." : null,
        };
        return new WebhookPlan(id, new WebhookDelivery(input.Url, id, payload), retry, null);
    }

    private async Task<ProcessEpisodeResult> AsFarAsItGotAsync(string episodeId)
    {
        var episode = EpisodeIds.IsValid(episodeId) ? await catalog.FindAsync(episodeId, CancellationToken.None) : null;
        return new ProcessEpisodeResult
        {
            EpisodeId = episodeId,
            Stage = episode?.Stage ?? EpisodeStage.Discovered,
            Duration = episode?.DurationSeconds ?? 0,
            Artifacts = episode?.Artifacts ?? new Dictionary<string, string>(),
        };
    }
}
