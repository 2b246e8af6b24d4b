using System.Text.Json.Serialization;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

public sealed record PlanSegmentsInput([property: JsonPropertyName("duration_seconds")] double DurationSeconds);

/// <param name="Parallelism">How many slices the orchestrator transcribes at once; read here so replays see one value.</param>
public sealed record SegmentPlan(
    [property: JsonPropertyName("slices")] IReadOnlyList<AudioSlice> Slices,
    [property: JsonPropertyName("parallelism")] int Parallelism);

/// <summary>Plans the slices from the configured segment length and overlap, balanced over the slices a job runs at once.</summary>
public sealed class PlanSegmentsActivity(IOptions<PipelineOptions> options) : TaskActivity<PlanSegmentsInput, SegmentPlan>
{
    public override Task<SegmentPlan> RunAsync(TaskActivityContext context, PlanSegmentsInput input)
    {
        var whisper = options.Value.Whisper;
        var slices = SegmentPlanner.Plan(input.DurationSeconds, whisper.SegmentSeconds, whisper.OverlapSeconds, whisper.ParallelSegments);
        return Task.FromResult(new SegmentPlan(slices, whisper.ParallelSegments));
    }
}
