using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>The merged transcript written to <c>transcript.json</c>.</summary>
public sealed record Transcript
{
    [JsonPropertyName("episode_id")] public required string EpisodeId { get; init; }
    [JsonPropertyName("language")] public required string Language { get; init; }
    [JsonPropertyName("duration_seconds")] public double DurationSeconds { get; init; }

    /// <summary>Identifies the media content and transcription settings it was made from; equal fingerprints allow reuse.</summary>
    [JsonPropertyName("fingerprint")] public required string Fingerprint { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The audio track transcribed (0 = first audio stream); part of <see cref="Fingerprint"/>.</summary>
    [JsonPropertyName("audio_track")] public int? AudioTrack { get; init; }

    /// <summary>What the job that made it warned about (e.g. media that decodes shorter than it claims); a reuse repeats them.</summary>
    [JsonPropertyName("warnings")] public IReadOnlyList<string> Warnings { get; init; } = [];
    [JsonPropertyName("segments")] public required IReadOnlyList<TranscriptSegment> Segments { get; init; }
}
