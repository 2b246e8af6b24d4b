namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// Makes one signed delivery attempt. Retries are not its business: they belong to the orchestration,
/// so they survive a host restart (see <c>NotifySteps</c>).
/// </summary>
public interface IWebhookSender
{
    /// <summary>
    /// POSTs <paramref name="payload"/> to <paramref name="url"/> with the Standard Webhooks headers, signed with
    /// the configured secret and stamped with the current time. Never follows a redirect.
    /// </summary>
    /// <exception cref="HttpRequestException">The receiver could not be reached.</exception>
    /// <exception cref="TimeoutException">No answer within <c>Pipeline:Webhook:TimeoutSeconds</c>.</exception>
    Task<WebhookResponse> SendAsync(Uri url, string webhookId, WebhookPayload payload, CancellationToken cancellationToken);
}
