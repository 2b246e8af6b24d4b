namespace EpisodePipeline.Services.Webhooks;

/// <summary>The receiver's answer to one attempt.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Location">The <c>Location</c> header of a redirect, which is never followed.</param>
public sealed record WebhookResponse(int Status, string? Location);
