using System.ComponentModel.DataAnnotations;

namespace EpisodePipeline.Options;

/// <summary>Job history in the durable store (<c>Pipeline:Jobs</c>).</summary>
public sealed class JobsOptions
{
    /// <summary>
    /// Days a finished job (completed, failed or cancelled) stays in the durable store, counted from its creation;
    /// older ones are purged hourly (artifacts stay). 0 keeps every job forever.
    /// </summary>
    [Range(0, 36500, ErrorMessage = "The RetentionDays field must be from 0 (keep forever) to 36500.")]
    public int RetentionDays { get; set; } = 30;
}
