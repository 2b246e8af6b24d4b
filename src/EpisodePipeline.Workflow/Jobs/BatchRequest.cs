using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Body of <c>POST /async/batches</c>; every field is optional and defaults to <c>Pipeline:Batch</c>'s setting.</summary>
public sealed record BatchRequest
{
    /// <summary><c>transcribed</c>, <c>enriched</c> or <c>rendered</c>; default <c>Pipeline:Batch:TargetStage</c>.</summary>
    [JsonPropertyName("target_stage")] public string? TargetStage { get; init; }

    /// <summary>Where the summary goes instead of <c>Pipeline:Batch:WebhookUrl</c>.</summary>
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }
}
