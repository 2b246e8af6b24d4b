using System.Globalization;
using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// One delivery attempt failed in a way another attempt may fix (receiver down, 5xx, timeout, redirect).
/// Messages of failures that came with an HTTP status start with <c>HTTP nnn</c>, which
/// <see cref="StatusOf"/> reads back from the failure details the orchestration sees.
/// </summary>
public sealed partial class WebhookDeliveryException : Exception
{
    public WebhookDeliveryException()
    {
    }

    public WebhookDeliveryException(string message)
        : base(message)
    {
    }

    public WebhookDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status a failure message starts with, or null when the receiver never answered.</summary>
    public static int? StatusOf(string? message)
    {
        var match = message is null ? null : StatusPrefix().Match(message);
        return match is { Success: true } ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex("^HTTP ([1-5][0-9]{2})\\b")]
    private static partial Regex StatusPrefix();
}
