using StandardWebhooks;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>The signing secret's Standard Webhooks form: <c>whsec_</c> + base64 of 24–64 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const string HowToMake = "Make one with: echo \"whsec_$(openssl rand -base64 32)\"";

    public static readonly string MissingMessage =
        $"Pipeline:Webhook:Secret is empty, and webhooks are never sent unsigned. {HowToMake}";

    /// <summary>Why <paramref name="secret"/> is not a usable signing secret, or null when it is (or is empty).</summary>
    public static string? Problem(string secret)
    {
        if (secret.Length == 0)
        {
            return null;
        }

        var key = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        var bytes = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, bytes, out var length))
        {
            return $"is not '{Prefix}' followed by base64. {HowToMake}";
        }

        return length is < 24 or > 64 ? $"holds {length} bytes; Standard Webhooks secrets hold 24 to 64. {HowToMake}" : null;
    }

    /// <summary>The library's signer for a valid secret; null for an empty one.</summary>
    public static StandardWebhook? TryCreateSigner(string secret) =>
        secret.Length == 0 || Problem(secret) is not null ? null : new StandardWebhook(secret);
}
