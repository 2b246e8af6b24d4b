using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

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
