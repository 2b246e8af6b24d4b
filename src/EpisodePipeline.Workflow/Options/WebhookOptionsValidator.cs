using EpisodePipeline.Services.Webhooks;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>
/// The webhook rules data annotations cannot say, checked at start with the key that must change:
/// the secret's form, the retry waits' order, the allow-list's entries.
/// </summary>
public sealed class WebhookOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        var webhook = options.Webhook;
        const string w = PipelineOptions.Section + ":Webhook:";
        if (WebhookSecret.Problem(webhook.Secret) is { } secret)
        {
            // Never echo the secret itself into a log.
            errors.Add($"{w}Secret {secret}");
        }

        if (webhook.MaxRetrySeconds < webhook.FirstRetrySeconds)
        {
            errors.Add($"{w}MaxRetrySeconds ({webhook.MaxRetrySeconds}) must not be less than {w}FirstRetrySeconds ({webhook.FirstRetrySeconds}).");
        }

        for (var i = 0; i < webhook.AllowedHosts.Count; i++)
        {
            if (!WebhookPolicy.IsValidHostEntry(webhook.AllowedHosts[i]))
            {
                errors.Add($"{w}AllowedHosts:{i} ('{webhook.AllowedHosts[i]}') must be a host name or IP address such as 'n8n.example.com' or '*.example.com', without scheme, port or path.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
