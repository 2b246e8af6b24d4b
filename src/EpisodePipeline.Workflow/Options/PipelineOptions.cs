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

    /// <summary>Resolves a configured path against <see cref="Root"/>.</summary>
    public string Resolve(string path) =>
        Path.GetFullPath(Path.Combine(string.IsNullOrEmpty(Root) ? Directory.GetCurrentDirectory() : Root, path));
}

public sealed class InputOptions
{
    public static readonly IReadOnlyList<string> DefaultFolders = ["media"];

    /// <summary>Containers FFmpeg reads that people keep episodes in: video, then audio (matched case-insensitively).</summary>
    public static readonly IReadOnlyList<string> DefaultExtensions =
    [
        ".mp4", ".m4v", ".mkv", ".mov", ".webm", ".avi", ".wmv", ".flv", ".mpg", ".mpeg", ".ts", ".m2ts", ".mts", ".3gp",
        ".mp3", ".m4a", ".m4b", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".wma", ".mka", ".aif", ".aiff", ".caf", ".mp2", ".ac3", ".amr", ".wv",
    ];

    // The lists start empty: the configuration binder appends to a list, so defaults here would be
    // merged with configured folders instead of replaced. Defaults fill empty lists after binding.

    /// <summary>Folders scanned (recursively) by discovery; default <c>media</c>.</summary>
    public List<string> Folders { get; set; } = [];

    /// <summary>File extensions that count as media; default: <see cref="DefaultExtensions"/>.</summary>
    public List<string> Extensions { get; set; } = [];

    /// <summary>
    /// A file counts as ready only once its size and modification time have not changed for this long;
    /// until then discovery lists it as settling (probably still being copied in) and does not probe it.
    /// </summary>
    [Range(0, 86_400)]
    public double SettleSeconds { get; set; } = 10;

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

/// <summary>The local LLM the Enrich stage asks (Ollama's HTTP API).</summary>
public sealed class OllamaOptions
{
    [Required, Url]
    public string Url { get; set; } = "http://localhost:11434";

    /// <summary>An Ollama model name as <c>ollama list</c> shows it; a name without a tag means <c>:latest</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "llama3.1:8b";

    /// <summary>
    /// The context window (tokens) every request asks for (<c>num_ctx</c>). Transcripts are split into
    /// parts that fit it together with the instructions and the answer; more parts mean more calls.
    /// </summary>
    [Range(4096, 1_048_576)]
    public int ContextTokens { get; set; } = 8192;

    /// <summary>Parts of one episode analysed at the same time (Ollama serves parallel requests up to its <c>OLLAMA_NUM_PARALLEL</c>).</summary>
    [Range(1, 64)]
    public int MaxParallelRequests { get; set; } = 2;

    /// <summary>Answers asked for per call until one passes validation; the problem is told to the model each time.</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>Longest one HTTP request may take (the model writes the whole answer in it).</summary>
    [Range(1, 7200)]
    public int RequestTimeoutSeconds { get; set; } = 600;

    /// <summary>Retries of a request that timed out, could not connect or got a 5xx/429, with exponential back-off.</summary>
    [Range(0, 10)]
    public int HttpRetries { get; set; } = 3;

    /// <summary>First back-off delay of <see cref="HttpRetries"/>; it doubles each time (with jitter).</summary>
    [Range(0.0, 60.0)]
    public double RetryDelaySeconds { get; set; } = 2;

    /// <summary>Sampling temperature; low keeps the JSON and the quotes close to the transcript.</summary>
    [Range(0.0, 2.0)]
    public double Temperature { get; set; } = 0.2;
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

        errors.AddRange(OverlappingFolders(options));

        if (!Uri.TryCreate(options.Ollama.Url, UriKind.Absolute, out var ollama) || (ollama.Scheme != Uri.UriSchemeHttp && ollama.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{PipelineOptions.Section}:Ollama:Url ('{options.Ollama.Url}') must be an absolute http(s) URL.");
        }

        if (!string.IsNullOrEmpty(options.Render.TemplatesFolder) && !Directory.Exists(options.Resolve(options.Render.TemplatesFolder)))
        {
            errors.Add($"{PipelineOptions.Section}:Render:TemplatesFolder ('{options.Resolve(options.Render.TemplatesFolder)}') does not exist.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// Folders are scanned recursively, so a folder inside another (or the same folder twice, also through a
    /// link) would make the same file two episodes with different ids.
    /// </summary>
    private static IEnumerable<string> OverlappingFolders(PipelineOptions options)
    {
        const string f = PipelineOptions.Section + ":Input:Folders:";
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var folders = options.Input.Folders
            .Select((folder, i) => (Index: i, Configured: folder, Full: string.IsNullOrWhiteSpace(folder) ? null : RealFolder(options.Resolve(folder))))
            .Where(x => x.Full is not null)
            .ToList();
        for (var a = 0; a < folders.Count; a++)
        {
            for (var b = a + 1; b < folders.Count; b++)
            {
                var (first, second) = (folders[a], folders[b]);
                var relation =
                    string.Equals(first.Full, second.Full, comparison) ? "are the same folder" :
                    IsInside(second.Full!, first.Full!, comparison) ? $"overlap: '{second.Configured}' is inside '{first.Configured}'" :
                    IsInside(first.Full!, second.Full!, comparison) ? $"overlap: '{first.Configured}' is inside '{second.Configured}'" :
                    null;
                if (relation is not null)
                {
                    yield return $"{f}{first.Index} ('{first.Configured}') and {f}{second.Index} ('{second.Configured}') {relation}; folders are scanned recursively, so keep only the outer one.";
                }
            }
        }

        static bool IsInside(string inner, string outer, StringComparison comparison) =>
            inner.StartsWith(Path.EndsInDirectorySeparator(outer) ? outer : outer + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>The folder with links resolved where it exists, so two spellings of one folder compare equal.</summary>
    private static string RealFolder(string full)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(full);
        return Directory.Exists(trimmed) ? Services.Catalog.RealPaths.Resolve(trimmed) : trimmed;
    }
}
