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

    /// <summary>Resolves a configured path against <see cref="Root"/>.</summary>
    public string Resolve(string path) =>
        Path.GetFullPath(Path.Combine(string.IsNullOrEmpty(Root) ? Directory.GetCurrentDirectory() : Root, path));
}

public sealed class InputOptions
{
    public static readonly IReadOnlyList<string> DefaultFolders = ["media"];
    public static readonly IReadOnlyList<string> DefaultExtensions = [".mp4", ".mkv", ".mov", ".webm", ".mp3", ".m4a", ".wav", ".flac", ".ogg"];

    // The lists start empty: the configuration binder appends to a list, so defaults here would be
    // merged with configured folders instead of replaced. Defaults fill empty lists after binding.

    /// <summary>Folders scanned (recursively) by discovery; default <c>media</c>.</summary>
    public List<string> Folders { get; set; } = [];

    /// <summary>File extensions that count as media; default: common video and audio types.</summary>
    public List<string> Extensions { get; set; } = [];

    internal void ApplyDefaults()
    {
        if (Folders.Count == 0)
        {
            Folders.AddRange(DefaultFolders);
        }

        if (Extensions.Count == 0)
        {
            Extensions.AddRange(DefaultExtensions);
        }
    }
}

public sealed class WhisperOptions
{
    /// <summary>A ggml Whisper model (e.g. <c>models/ggml-base.en.bin</c>); see <c>models download</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ModelPath { get; set; } = "models/ggml-base.en.bin";

    /// <summary>Spoken language code, or <c>auto</c>.</summary>
    [Required(AllowEmptyStrings = false), RegularExpression("^(auto|[a-z]{2,3})$")]
    public string Language { get; set; } = "en";

    /// <summary>CPU threads per Whisper processor; 0 (the default) derives it from the machine (<see cref="WhisperDefaults"/>).</summary>
    [Range(1, 256)]
    public int Threads { get; set; }

    /// <summary>Length of the segments transcribed in parallel.</summary>
    [Range(10, 3600)]
    public int SegmentSeconds { get; set; } = 300;

    /// <summary>Audio shared by neighbouring segments, so no word is cut at a boundary.</summary>
    [Range(0, 60)]
    public double OverlapSeconds { get; set; } = 2;

    /// <summary>Segments one job transcribes at the same time; 0 (the default) derives it from the machine.</summary>
    [Range(1, 64)]
    public int ParallelSegments { get; set; }

    /// <summary>Whisper processors one host runs at once (bounded by GPU memory on a workstation); 0 (the default) derives it from the machine.</summary>
    [Range(1, 64)]
    public int GpuConcurrency { get; set; }

    /// <summary>
    /// A slice whose loudest 30 ms frame stays below this level (dBFS, RMS) is silence and is not sent to
    /// Whisper, which would only hallucinate words over it. Default -50 dBFS: below room tone, far below speech.
    /// </summary>
    [Range(-120, 0)]
    public double SilenceThresholdDb { get; set; } = -50;
}

public sealed class OllamaOptions
{
    [Required, Url]
    public string Url { get; set; } = "http://localhost:11434";

    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "llama3.1:8b";
}

/// <summary>
/// Delivery of the job-ended webhook (<c>webhook_url</c>). Cross-setting rules and the secret's form are
/// checked by <see cref="WebhookOptionsValidator"/>.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Standard Webhooks signing secret: <c>whsec_</c> + base64 of 24–64 random bytes
    /// (<c>echo "whsec_$(openssl rand -base64 32)"</c>). Empty: no webhook is ever sent, because an unsigned
    /// delivery could not be told from a forged one.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>Deliveries tried in all, the first included, before the outcome says not delivered.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; each later wait is <see cref="BackoffCoefficient"/> times longer.</summary>
    [Range(0.1, 86400)]
    public double FirstRetrySeconds { get; set; } = 5;

    [Range(1, 10)]
    public double BackoffCoefficient { get; set; } = 2;

    /// <summary>No wait between attempts is longer than this.</summary>
    [Range(0.1, 86400)]
    public double MaxRetrySeconds { get; set; } = 60;

    /// <summary>How long one attempt waits for the receiver's answer (Standard Webhooks recommends 15–30 s).</summary>
    [Range(1, 300)]
    public double TimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Host names a <c>webhook_url</c> may point at (<c>n8n.example.com</c>, <c>*.example.com</c>, <c>127.0.0.1</c>);
    /// empty: any host. Starts empty because the binder appends to lists.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}

public sealed class BatchOptions
{
    /// <summary>NCRONTAB (six fields) for the nightly batch.</summary>
    [Required, RegularExpression(@"^\S+( \S+){5}$", ErrorMessage = "The Schedule field must be a six-field NCRONTAB expression, e.g. '0 0 2 * * *'.")]
    public string Schedule { get; set; } = "0 0 2 * * *";
}

/// <summary>Rules that span several settings, reported with the configuration key that must change.</summary>
public sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        const string w = PipelineOptions.Section + ":Whisper:";
        if (options.Whisper.OverlapSeconds * 2 >= options.Whisper.SegmentSeconds)
        {
            errors.Add($"{w}OverlapSeconds ({options.Whisper.OverlapSeconds}) must be less than half of {w}SegmentSeconds ({options.Whisper.SegmentSeconds}).");
        }

        for (var i = 0; i < options.Input.Extensions.Count; i++)
        {
            var ext = options.Input.Extensions[i];
            if (ext.Length < 2 || ext[0] != '.' || ext.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                errors.Add($"{PipelineOptions.Section}:Input:Extensions:{i} ('{ext}') must look like '.mp4'.");
            }
        }

        for (var i = 0; i < options.Input.Folders.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Input.Folders[i]))
            {
                errors.Add($"{PipelineOptions.Section}:Input:Folders:{i} must not be empty.");
            }
        }

        if (!Uri.TryCreate(options.Ollama.Url, UriKind.Absolute, out var ollama) || (ollama.Scheme != Uri.UriSchemeHttp && ollama.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{PipelineOptions.Section}:Ollama:Url ('{options.Ollama.Url}') must be an absolute http(s) URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
