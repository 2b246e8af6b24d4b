using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

public sealed record MergeTranscriptInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("audio")] string Audio,
    [property: JsonPropertyName("duration_seconds")] double DurationSeconds,
    [property: JsonPropertyName("slices")] IReadOnlyList<AudioSlice> Slices,
    [property: JsonPropertyName("segments")] IReadOnlyList<TranscribeSegmentOutput> Segments,
    [property: JsonPropertyName("audio_track")] int AudioTrack = 0,
    [property: JsonPropertyName("declared_seconds")] double? DeclaredSeconds = null,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string>? Warnings = null);

/// <summary>
/// Joins the slices' segments into <c>transcript.json</c> and <c>transcript.txt</c> and marks the
/// episode transcribed. The transcript is written last, so a reader never sees a half-made one.
/// </summary>
public sealed class MergeTranscriptActivity(
    EpisodeCatalog catalog,
    DataLayout layout,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<MergeTranscriptActivity> logger) : TaskActivity<MergeTranscriptInput, ProcessEpisodeResult>
{
    public override async Task<ProcessEpisodeResult> RunAsync(TaskActivityContext context, MergeTranscriptInput input)
    {
        var byIndex = input.Segments.ToDictionary(s => s.Index);
        var parts = new List<(AudioSlice, IReadOnlyList<TranscriptSegment>)>(input.Slices.Count);
        foreach (var slice in input.Slices)
        {
            var segments = await AtomicFile.ReadJsonAsync<List<TranscriptSegment>>(layout.FromRelative(byIndex[slice.Index].Segments))
                ?? throw new InvalidOperationException($"Segment file of slice {slice.Index} of episode '{input.EpisodeId}' is missing.");
            parts.Add((slice, segments));
        }

        var merged = TranscriptMerger.Merge(parts, input.DurationSeconds);
        var transcript = new Transcript
        {
            EpisodeId = input.EpisodeId,
            Language = options.Value.Whisper.Language,
            DurationSeconds = input.DurationSeconds,
            Fingerprint = input.Fingerprint,
            CreatedAt = time.GetUtcNow(),
            AudioTrack = input.AudioTrack,
            Warnings = input.Warnings ?? [],
            Segments = merged,
        };
        await AtomicFile.WriteTextAsync(layout.TranscriptTextPath(input.EpisodeId), TranscriptMerger.ToText(merged));
        await AtomicFile.WriteJsonAsync(layout.TranscriptPath(input.EpisodeId), transcript);

        var artifacts = PrepareTranscriptionActivity.TranscriptArtifacts(layout, input.EpisodeId);
        await catalog.UpdateAsync(input.EpisodeId, e => e with
        {
            Stage = EpisodeStage.Transcribed,
            // Both figures stay: what the container declares (from discovery) and what decoded.
            DurationSeconds = e.DurationSeconds ?? input.DeclaredSeconds,
            DecodedSeconds = input.DurationSeconds,
            AudioTrack = input.AudioTrack,
            Artifacts = new Dictionary<string, string>(artifacts) { [ArtifactKinds.Audio] = input.Audio },
        }, CancellationToken.None);

        logger.TranscriptWritten(input.EpisodeId, merged.Count);
        return new ProcessEpisodeResult
        {
            EpisodeId = input.EpisodeId,
            Stage = EpisodeStage.Transcribed,
            Duration = input.DurationSeconds,
            Segments = merged.Count,
            AudioTrack = input.AudioTrack,
            Warnings = input.Warnings ?? [],
            Artifacts = artifacts,
        };
    }
}
