using System.Collections.Frozen;
using EpisodePipeline.Orchestrations;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Which orchestrations are jobs, and the <c>job_type</c> each one shows: the one place the job API
/// (get, list, stats, cancel, retry) asks. An orchestration not listed here is not a job and answers 404.
/// </summary>
/// <remarks>
/// The <see cref="JobIndex"/> holds only orchestrations listed here, so one that is not a job is never listed, counted
/// or purged. Today every orchestration is a job: a batch's episodes run as ProcessEpisode jobs of their own.
/// </remarks>
public static class JobTypes
{
    /// <summary><c>job_type</c> of a ProcessEpisode job: one episode to its target stage.</summary>
    public const string ProcessEpisode = "process_episode";

    /// <summary><c>job_type</c> of a batch: every episode below the target stage, nightly or by hand (<see cref="NightlyBatchOrchestrator"/>).</summary>
    public const string Batch = "batch";

    private static readonly FrozenDictionary<string, string> ByOrchestration = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(ProcessEpisodeOrchestrator)] = ProcessEpisode,
        [nameof(NightlyBatchOrchestrator)] = Batch,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The <c>job_type</c> of orchestration <paramref name="orchestrationName"/>; null when it is not a job.</summary>
    public static string? Of(string? orchestrationName) =>
        orchestrationName is not null && ByOrchestration.TryGetValue(orchestrationName, out var type) ? type : null;

    /// <summary>True when orchestration <paramref name="orchestrationName"/> is a job.</summary>
    public static bool IsJob(string? orchestrationName) => Of(orchestrationName) is not null;
}
