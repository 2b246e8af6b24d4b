using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

public sealed class BatchOptions
{
    /// <summary>NCRONTAB (six fields) for the nightly batch.</summary>
    [Required, RegularExpression(@"^\S+( \S+){5}$", ErrorMessage = "The Schedule field must be a six-field NCRONTAB expression, e.g. '0 0 2 * * *'.")]
    public string Schedule { get; set; } = "0 0 2 * * *";
}
