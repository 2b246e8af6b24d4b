using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>
/// How the job-ended webhook went; the job status shows it under <c>webhook</c>. It never changes the job's
/// own <c>status</c> or <c>result</c>.
/// </summary>
public sealed record WebhookOutcome
{
    [JsonPropertyName("delivered")] public required bool Delivered { get; init; }

    /// <summary>Attempts made, the successful one included; 0 when the URL or the configuration ruled delivery out.</summary>
    [JsonPropertyName("attempts")] public required int Attempts { get; init; }

    /// <summary>The HTTP status of the last answer (2xx when delivered); null when the receiver never answered.</summary>
    [JsonPropertyName("last_status")] public int? LastStatus { get; init; }

    /// <summary>Why the last attempt failed, or why none was made; null when delivered.</summary>
    [JsonPropertyName("last_error")] public string? LastError { get; init; }

    /// <summary>The <c>webhook-id</c> header every attempt carried: the receiver's idempotency key.</summary>
    [JsonPropertyName("webhook_id")] public required string WebhookId { get; init; }
}
