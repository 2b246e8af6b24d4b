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

/// <param name="ReuseKey">
/// The transcript's fingerprint (media content, track, transcription settings) when a slice an earlier job of the
/// episode finished with the same fingerprint may be reused; null with <c>force_reprocess</c>.
/// </param>
public sealed record TranscribeSegmentInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("audio")] string Audio,
    [property: JsonPropertyName("slice")] AudioSlice Slice,
    [property: JsonPropertyName("reuse_key")] string? ReuseKey = null);

public sealed record TranscribeSegmentOutput(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("segments")] string Segments,
    [property: JsonPropertyName("count")] int Count);

/// <summary>
/// Transcribes one slice of the episode's audio and writes its segments, in episode time, to
/// <c>segments/NNNN.json</c>; only that reference goes back to the orchestration. Beside it, <c>NNNN.json.key</c>
/// says what the slice was made from (the reuse key, the slice's bounds, the silence threshold): a job cancelled,
/// failed or killed part-way leaves its finished slices, and the next job with the same key (a retry, a new submit)
/// uses them instead of transcribing them again.
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
        var path = layout.SegmentPath(input.EpisodeId, slice.Index);
        var keyPath = path + ".key";
        var key = input.ReuseKey is null ? null : string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"{input.ReuseKey}|{slice.Start:R}|{slice.End:R}|{options.Value.Whisper.SilenceThresholdDb:R}");
        if (key is not null && File.Exists(keyPath) && await File.ReadAllTextAsync(keyPath) == key
            && await ReadSegmentsAsync(path) is { } earlier)
        {
            logger.SliceReused(input.EpisodeId, slice.Index);
            return new TranscribeSegmentOutput(slice.Index, layout.ToRelative(path), earlier.Count);
        }

        // The slice about to be written is no longer the one a key may name (File.Delete throws when the folder is missing).
        if (File.Exists(keyPath))
        {
            File.Delete(keyPath);
        }

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

        await AtomicFile.WriteJsonAsync(path, absolute);
        if (key is not null)
        {
            await AtomicFile.WriteTextAsync(keyPath, key);
        }

        logger.SegmentTranscribed(input.EpisodeId, slice.Index, absolute.Count);
        return new TranscribeSegmentOutput(slice.Index, layout.ToRelative(path), absolute.Count);
    }

    /// <summary>A slice's segments as an earlier job wrote them; null when they are gone or cannot be read (then it is transcribed again).</summary>
    private static async Task<List<TranscriptSegment>?> ReadSegmentsAsync(string path)
    {
        try
        {
            return await AtomicFile.ReadJsonAsync<List<TranscriptSegment>>(path);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
