using EpisodePipeline.Orchestrations;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Which orchestrations are jobs, and each one's <c>job_type</c> in the contract. Every job query, cancel and retry
/// asks here, so a new kind of job is added in one place. Other orchestrations in the task hub (none today) are not jobs.
/// </summary>
public static class JobTypes
{
    /// <summary>One episode to its target stage (<see cref="ProcessEpisodeOrchestrator"/>).</summary>
    public const string ProcessEpisode = "process_episode";

    /// <summary>Every episode below the target stage, nightly or by hand (<see cref="NightlyBatchOrchestrator"/>).</summary>
    public const string Batch = "batch";

    /// <summary>Orchestration name → <c>job_type</c>.</summary>
    public static IReadOnlyDictionary<string, string> ByOrchestration { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(ProcessEpisodeOrchestrator)] = ProcessEpisode,
        [nameof(NightlyBatchOrchestrator)] = Batch,
    };

    /// <summary>True when instances of <paramref name="orchestrationName"/> are jobs.</summary>
    public static bool IsJob(string? orchestrationName) => orchestrationName is not null && ByOrchestration.ContainsKey(orchestrationName);

    /// <summary>The <c>job_type</c> of an orchestration, or null when its instances are not jobs.</summary>
    public static string? Of(string? orchestrationName) =>
        orchestrationName is not null && ByOrchestration.TryGetValue(orchestrationName, out var type) ? type : null;
}
