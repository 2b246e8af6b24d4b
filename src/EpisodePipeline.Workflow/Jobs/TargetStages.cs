using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;

namespace EpisodePipeline.Jobs;

/// <summary>The stages a job can be taken to (a request's <c>target_stage</c>, <c>Pipeline:Batch:TargetStage</c>).</summary>
public static class TargetStages
{
    /// <summary>The wire names a target may have, for messages.</summary>
    public const string Choices = "transcribed, enriched, rendered";

    /// <summary>Parses a target's wire name; false for anything else, <c>discovered</c> included.</summary>
    public static bool TryParse(string? name, out EpisodeStage stage) =>
        WireName.TryParse(name, out stage) && stage != EpisodeStage.Discovered;

    /// <summary>Why this build cannot take a job to <paramref name="stage"/>, or null when it can.</summary>
    public static string? Unavailable(EpisodeStage stage) => stage > ProcessEpisodeOrchestrator.HighestSupportedStage
        ? $"Stage '{WireName.Of(stage)}' is not available in this build; use one up to '{WireName.Of(ProcessEpisodeOrchestrator.HighestSupportedStage)}'."
        : null;
}
