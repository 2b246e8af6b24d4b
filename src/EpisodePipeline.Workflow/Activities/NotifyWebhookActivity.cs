using System.Net;
using System.Text.Json.Serialization;
using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Webhooks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

/// <param name="Status">The receiver's 2xx status.</param>
public sealed record WebhookAttempt([property: JsonPropertyName("status")] int Status);

/// <summary>
/// One signed delivery attempt. A 2xx answer is success; anything else throws, so the orchestration's
/// retry handler (<c>NotifySteps</c>) decides on another attempt: <see cref="WebhookDeliveryException"/> may heal,
/// <see cref="WebhookRefusedException"/> (URL no longer allowed, <c>410 Gone</c>) never does.
/// </summary>
public sealed class NotifyWebhookActivity(
    IWebhookSender sender,
    IOptions<PipelineOptions> options,
    ILogger<NotifyWebhookActivity> logger) : TaskActivity<WebhookDelivery, WebhookAttempt>
{
    public override async Task<WebhookAttempt> RunAsync(TaskActivityContext context, WebhookDelivery input)
    {
        var webhook = options.Value.Webhook;
        var jobId = input.Payload.JobId;
        if ((WebhookPolicy.CheckReady(webhook) ?? WebhookPolicy.CheckUrl(input.Url, webhook)) is { } refusal)
        {
            logger.WebhookRefused(jobId, input.WebhookId, refusal);
            throw new WebhookRefusedException(refusal);
        }

        var url = new Uri(input.Url);
        WebhookResponse response;
        try
        {
            response = await sender.SendAsync(url, input.WebhookId, input.Payload, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            var message = $"{url.Authority}: {ex.Message}";
            logger.WebhookAttemptFailed(jobId, input.WebhookId, message);
            throw new WebhookDeliveryException(message, ex);
        }

        var status = response.Status;
        if (status is >= 200 and < 300)
        {
            logger.WebhookDelivered(jobId, input.WebhookId, url.Authority, status);
            return new WebhookAttempt(status);
        }

        var reason = $"HTTP {status} ({(HttpStatusCode)status}) from {url.Authority}";
        if (status == (int)HttpStatusCode.Gone)
        {
            reason += ": the receiver asked for no more deliveries";
            logger.WebhookRefused(jobId, input.WebhookId, reason);
            throw new WebhookRefusedException(reason);
        }

        if (status is >= 300 and < 400)
        {
            reason += $": redirect to '{response.Location}' not followed; point webhook_url at the final address";
        }

        logger.WebhookAttemptFailed(jobId, input.WebhookId, reason);
        throw new WebhookDeliveryException(reason);
    }
}
