using System.Text.Json.Serialization;
using EpisodePipeline.Services.Rendering;
using Microsoft.DurableTask;

namespace EpisodePipeline.Activities;

public sealed record RenderEpisodeInput([property: JsonPropertyName("episode_id")] string EpisodeId);

/// <summary>
/// Publishes the episode into the output folder (page, captions, chapters, transcripts, media) and rebuilds the
/// site index and feed; returns where everything is. Reads the transcript and enrichment itself, so history
/// carries only the episode id and the outcome's paths.
/// </summary>
public sealed class RenderEpisodeActivity(IEpisodeRenderer renderer) : TaskActivity<RenderEpisodeInput, RenderOutcome>
{
    public override Task<RenderOutcome> RunAsync(TaskActivityContext context, RenderEpisodeInput input) =>
        renderer.RenderAsync(input.EpisodeId, CancellationToken.None);
}
