using System.Globalization;
using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>
/// Delivery must not be tried again: the URL is not allowed, no secret is configured, or the receiver answered
/// <c>410 Gone</c>. Same message convention as <see cref="WebhookDeliveryException"/>.
/// </summary>
public sealed class WebhookRefusedException : Exception
{
    public WebhookRefusedException()
    {
    }

    public WebhookRefusedException(string message)
        : base(message)
    {
    }

    public WebhookRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
