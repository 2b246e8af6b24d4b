using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>
/// Delivery of the job-ended webhook (<c>webhook_url</c>). Cross-setting rules and the secret's form are
/// checked by <see cref="WebhookOptionsValidator"/>.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Standard Webhooks signing secret: <c>whsec_</c> + base64 of 24–64 random bytes
    /// (<c>echo "whsec_$(openssl rand -base64 32)"</c>). Empty: no webhook is ever sent, because an unsigned
    /// delivery could not be told from a forged one.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>Deliveries tried in all, the first included, before the outcome says not delivered.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; each later wait is <see cref="BackoffCoefficient"/> times longer.</summary>
    [Range(0.1, 86400)]
    public double FirstRetrySeconds { get; set; } = 5;

    [Range(1, 10)]
    public double BackoffCoefficient { get; set; } = 2;

    /// <summary>No wait between attempts is longer than this.</summary>
    [Range(0.1, 86400)]
    public double MaxRetrySeconds { get; set; } = 60;

    /// <summary>How long one attempt waits for the receiver's answer (Standard Webhooks recommends 15–30 s).</summary>
    [Range(1, 300)]
    public double TimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Host names a <c>webhook_url</c> may point at (<c>n8n.example.com</c>, <c>*.example.com</c>, <c>127.0.0.1</c>);
    /// empty: any host. Starts empty because the binder appends to lists.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
