using System.Text.Json;
using EpisodePipeline.Options;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// Sends through the named <see cref="ClientName"/> client, whose handler never follows redirects (a
/// 3xx is a failed attempt, as the Standard Webhooks specification advises) and whose timeout is
/// <c>Pipeline:Webhook:TimeoutSeconds</c>. The <c>StandardWebhooks</c> library serializes and signs the body,
/// so the bytes signed are the bytes sent.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<PipelineOptions> options, TimeProvider time) : IWebhookSender
{
    public const string ClientName = "webhooks";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private readonly StandardWebhook? _signer = WebhookSecret.TryCreateSigner(options.Value.Webhook.Secret);

    public async Task<WebhookResponse> SendAsync(Uri url, string webhookId, WebhookPayload payload, CancellationToken cancellationToken)
    {
        var signer = _signer ?? throw new InvalidOperationException(WebhookSecret.MissingMessage);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = signer.MakeHttpContent(payload, webhookId, time.GetUtcNow(), Json),
        };
        var client = clients.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new WebhookResponse((int)response.StatusCode, response.Headers.Location?.ToString());
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new TimeoutException($"No answer within {client.Timeout.TotalSeconds:0.#} s (Pipeline:Webhook:TimeoutSeconds).", ex);
        }
    }
}
