using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>
/// The orchestration's custom status: what a job is doing now. Set after every step and every
/// finished segment; the job API reads it back.
/// </summary>
public sealed record PipelineStatus
{
    [JsonPropertyName("phase")] public required JobPhase Phase { get; init; }

    /// <summary>Percent, 0–100, inside the phase's band (<see cref="JobPhases.Band"/>).</summary>
    [JsonPropertyName("progress")] public double Progress { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("eta_seconds")] public int? EtaSeconds { get; init; }
    [JsonPropertyName("segments_total")] public int SegmentsTotal { get; init; }
    [JsonPropertyName("segments_done")] public int SegmentsDone { get; init; }
    [JsonPropertyName("reused")] public bool Reused { get; init; }

    /// <summary>How delivering the job's webhook went; null until it was tried (or without <c>webhook_url</c>).</summary>
    [JsonPropertyName("webhook")] public WebhookOutcome? Webhook { get; init; }
}
