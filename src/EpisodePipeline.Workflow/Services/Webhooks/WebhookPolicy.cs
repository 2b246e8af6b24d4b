using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EpisodePipeline.Options;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// Which <c>webhook_url</c>s are accepted, and the webhook id a job's deliveries carry. The same rules run when a
/// job is submitted (so a bad URL is a 4xx, not a silent non-delivery) and again before every attempt (the
/// configuration may have changed while the job ran).
/// </summary>
public static partial class WebhookPolicy
{
    /// <summary>
    /// Why <paramref name="url"/> may not receive webhooks, naming the setting to change, or null when it may:
    /// an absolute http or https URL without user info, whose host is on <c>Pipeline:Webhook:AllowedHosts</c>
    /// when that list is not empty.
    /// </summary>
    public static string? CheckUrl(string? url, WebhookOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"'{url}' is not an absolute http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The webhook URL must not carry a user name or password; the signature authenticates the delivery.";
        }

        if (options.AllowedHosts.Count > 0 && !options.AllowedHosts.Any(entry => HostMatches(entry, uri)))
        {
            return $"Host '{uri.Host}' is not on Pipeline:Webhook:AllowedHosts ({string.Join(", ", options.AllowedHosts)}).";
        }

        return null;
    }

    /// <summary>Why webhooks cannot be sent at all with these settings (no secret), or null.</summary>
    public static string? CheckReady(WebhookOptions options) =>
        options.Secret.Length == 0 ? WebhookSecret.MissingMessage : null;

    /// <summary>
    /// The <c>webhook-id</c> of a job's notification: derived from the job id, so it is the same for every attempt
    /// and after a host restart, and receivers can use it as an idempotency key. Ids with characters other than
    /// letters, digits, '-' and '_' are hashed, because the id is part of the signed <c>id.timestamp.body</c>.
    /// </summary>
    public static string WebhookId(string jobId) =>
        SafeId().IsMatch(jobId)
            ? $"job_{jobId}"
            : $"job_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jobId)))[..32]}";

    /// <summary>An allow-list entry: a host name or IP address, optionally <c>*.</c> + a domain for its subdomains.</summary>
    public static bool IsValidHostEntry(string entry)
    {
        var host = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return host.Length > 0 && Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown;
    }

    private static bool HostMatches(string entry, Uri uri)
    {
        var host = uri.IdnHost.Trim('[', ']');
        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(host, entry.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex SafeId();
}
