using System.Text.Json.Serialization;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Activities;

public sealed record PlanBatchInput([property: JsonPropertyName("target_stage")] EpisodeStage TargetStage);

/// <param name="EpisodeIds">Episodes to process, ordered by id: present, media ready, below the target stage.</param>
/// <param name="Skipped">Episode id → why an episode below the target stage cannot be processed now (media settling or unreadable).</param>
/// <param name="Found">Media files discovery found.</param>
public sealed record BatchPlan(
    [property: JsonPropertyName("episode_ids")] IReadOnlyList<string> EpisodeIds,
    [property: JsonPropertyName("skipped")] IReadOnlyDictionary<string, string> Skipped,
    [property: JsonPropertyName("found")] int Found);

/// <summary>
/// A batch's first step: runs discovery (<see cref="EpisodeCatalog.DiscoverAsync"/>, as <c>POST /episodes/discover</c>
/// does) and picks the episodes that are not yet at the target stage. Episodes whose file is gone are left out;
/// those whose media is still arriving or unreadable are named with the reason, so the summary shows them.
/// </summary>
public sealed class PlanBatchActivity(EpisodeCatalog catalog, ILogger<PlanBatchActivity> logger) : TaskActivity<PlanBatchInput, BatchPlan>
{
    public override async Task<BatchPlan> RunAsync(TaskActivityContext context, PlanBatchInput input)
    {
        var discovery = await catalog.DiscoverAsync(CancellationToken.None);
        var below = discovery.Episodes.Where(e => !e.Missing && e.Stage < input.TargetStage).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var ready = below.Where(e => e.MediaStatus == MediaStatus.Ready).Select(e => e.Id).ToList();
        var skipped = below.Where(e => e.MediaStatus != MediaStatus.Ready).ToDictionary(e => e.Id, Why, StringComparer.Ordinal);
        logger.BatchPlanned(context.InstanceId, discovery.Found, ready.Count, skipped.Count, WireName.Of(input.TargetStage));
        return new BatchPlan(ready, skipped, discovery.Found);
    }

    private static string Why(Episode episode) => episode.MediaStatus == MediaStatus.Settling
        ? "Its media file is still being copied in; a later batch takes it once it has stopped changing."
        : episode.MediaProblem ?? "Its media file cannot be read as audio or video.";
}
