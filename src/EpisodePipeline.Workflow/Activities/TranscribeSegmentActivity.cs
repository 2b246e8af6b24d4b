using System.Text.Json.Serialization;
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

public sealed record TranscribeSegmentInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("audio")] string Audio,
    [property: JsonPropertyName("slice")] AudioSlice Slice);

public sealed record TranscribeSegmentOutput(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("segments")] string Segments,
    [property: JsonPropertyName("count")] int Count);

/// <summary>
/// Transcribes one slice of the episode's audio and writes its segments, in episode time, to
/// <c>segments/NNNN.json</c>; only that reference goes back to the orchestration.
/// </summary>
public sealed class TranscribeSegmentActivity(
    DataLayout layout,
    ITranscriber transcriber,
    IOptions<PipelineOptions> options,
    ILogger<TranscribeSegmentActivity> logger) : TaskActivity<TranscribeSegmentInput, TranscribeSegmentOutput>
{
    public override async Task<TranscribeSegmentOutput> RunAsync(TaskActivityContext context, TranscribeSegmentInput input)
    {
        var slice = input.Slice;
        // The samples stay in the file: the gate streams them, the Whisper worker reads them itself.
        var samples = WavFile.Slice(layout.FromRelative(input.Audio), slice.Start, slice.End);
        IReadOnlyList<TranscriptSegment> relative = [];
        if (SilenceGate.HasSignal(samples, options.Value.Whisper.SilenceThresholdDb))
        {
            relative = await transcriber.TranscribeAsync(samples, CancellationToken.None);
        }
        else
        {
            logger.SilentSliceSkipped(input.EpisodeId, slice.Index, slice.Start, slice.End);
        }

        var length = slice.End - slice.Start;
        var absolute = relative
            .Select(s => new TranscriptSegment(
                slice.Start + Math.Clamp(s.Start, 0, length),
                slice.Start + Math.Clamp(s.End, 0, length),
                s.Text))
            .ToList();

        var path = layout.SegmentPath(input.EpisodeId, slice.Index);
        await AtomicFile.WriteJsonAsync(path, absolute);
        logger.SegmentTranscribed(input.EpisodeId, slice.Index, absolute.Count);
        return new TranscribeSegmentOutput(slice.Index, layout.ToRelative(path), absolute.Count);
    }
}
