using System.Diagnostics.CodeAnalysis;
using EpisodePipeline.Orchestrations;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Which orchestrations are jobs, and the <c>job_type</c> each is shown with. Every reader of jobs (one job, the
/// list, the counts) asks this table; an orchestration not in it is not a job.
/// </summary>
public static class JobTypes
{
    /// <summary><c>job_type</c> of a <see cref="ProcessEpisodeOrchestrator"/> job.</summary>
    public const string ProcessEpisode = "process_episode";

    /// <summary>Orchestration name → <c>job_type</c>.</summary>
    public static IReadOnlyDictionary<string, string> ByOrchestration { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(ProcessEpisodeOrchestrator)] = ProcessEpisode,
    };

    /// <summary>The <c>job_type</c> of an orchestration; false when the orchestration is not a job.</summary>
    public static bool TryGet(string? orchestrationName, [NotNullWhen(true)] out string? jobType)
    {
        jobType = null;
        return orchestrationName is not null && ByOrchestration.TryGetValue(orchestrationName, out jobType);
    }

    /// <summary>True when <paramref name="orchestrationName"/> is a job's orchestration.</summary>
    public static bool IsJob(string? orchestrationName) => TryGet(orchestrationName, out _);
}
