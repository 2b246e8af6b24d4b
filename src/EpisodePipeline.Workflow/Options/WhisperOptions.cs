using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

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
    public int SegmentSeconds { get; set; } = 120;

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
