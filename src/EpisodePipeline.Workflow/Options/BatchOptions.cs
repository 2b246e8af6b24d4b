using System.ComponentModel.DataAnnotations;

namespace EpisodePipeline.Options;

/// <summary>
/// The nightly batch (<c>Pipeline:Batch</c>): when it runs, how many episodes it processes at once, how far it takes
/// them, and where its summary goes. Rules that need Cronos or the webhook settings are checked by
/// <see cref="BatchOptionsValidator"/>.
/// </summary>
public sealed class BatchOptions
{
    /// <summary>
    /// False: the schedule starts nothing (the standalone host's scheduler and the Functions timer both check it);
    /// <c>POST /async/batches</c> still works.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// NCRONTAB with six fields, seconds first (<c>0 0 2 * * *</c> = 02:00 every day), in the host's local time zone.
    /// The Functions app's timer reads the same setting (<c>%Pipeline:Batch:Schedule%</c>).
    /// </summary>
    [Required, RegularExpression(@"^\S+( \S+){5}$", ErrorMessage = "The Schedule field must be a six-field NCRONTAB expression, e.g. '0 0 2 * * *'.")]
    public string Schedule { get; set; } = "0 0 2 * * *";

    /// <summary>
    /// ProcessEpisode jobs one batch runs at once. They share the host's Whisper processors
    /// (<c>Pipeline:Whisper:GpuConcurrency</c>), so more jobs mostly queue; two let one episode's Enrich (Ollama)
    /// overlap the next one's Transcribe.
    /// </summary>
    [Range(1, 64)]
    public int MaxParallelJobs { get; set; } = 2;

    /// <summary>The stage every episode is taken to: <c>transcribed</c>, <c>enriched</c> or <c>rendered</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TargetStage { get; set; } = "rendered";

    /// <summary>
    /// Where the batch's summary is POSTed, signed like every job webhook (<c>Pipeline:Webhook</c>); empty: nowhere.
    /// A <c>webhook_url</c> in <c>POST /async/batches</c> replaces it for that batch.
    /// </summary>
    public string WebhookUrl { get; set; } = "";
}
