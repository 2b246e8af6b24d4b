using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>
/// The pipeline's settings, bound from the <c>Pipeline</c> section of <c>config/pipeline.yaml</c>
/// (environment variables such as <c>Pipeline__Whisper__ModelPath</c> override it).
/// Relative folders resolve against <see cref="Root"/>.
/// </summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Base folder for every relative path below; empty means the current directory.</summary>
    public string Root { get; set; } = "";

    [Required, ValidateObjectMembers]
    public InputOptions Input { get; set; } = new();

    /// <summary>Catalog, audio, transcripts: everything the workflow writes about an episode.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataFolder { get; set; } = "data";

    /// <summary>Published pages and subtitles.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutputFolder { get; set; } = "output";

    [Required, ValidateObjectMembers]
    public WhisperOptions Whisper { get; set; } = new();

    [Required, ValidateObjectMembers]
    public OllamaOptions Ollama { get; set; } = new();

    [Required, ValidateObjectMembers]
    public WebhookOptions Webhook { get; set; } = new();

    [Required, ValidateObjectMembers]
    public BatchOptions Batch { get; set; } = new();

    [Required, ValidateObjectMembers]
    public RenderOptions Render { get; set; } = new();

    [Required, ValidateObjectMembers]
    public JobsOptions Jobs { get; set; } = new();

    /// <summary>Resolves a configured path against <see cref="Root"/>.</summary>
    public string Resolve(string path) =>
        Path.GetFullPath(Path.Combine(string.IsNullOrEmpty(Root) ? Directory.GetCurrentDirectory() : Root, path));
}
