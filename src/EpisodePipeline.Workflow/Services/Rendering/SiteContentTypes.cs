namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// Content types of the files a rendered site holds, by file name: the formats' own types (WebVTT
/// <c>text/vtt</c>, JSON Chapters <c>application/json+chapters</c>, RSS) and the media types a player needs.
/// Both hosts serve the output folder with these.
/// </summary>
public static class SiteContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".xml"] = "application/rss+xml; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".vtt"] = "text/vtt; charset=utf-8",
        [".srt"] = "application/x-subrip; charset=utf-8",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".mp4"] = "video/mp4",
        [".m4v"] = "video/mp4",
        [".mov"] = "video/quicktime",
        [".mkv"] = "video/x-matroska",
        [".webm"] = "video/webm",
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".aac"] = "audio/aac",
        [".ogg"] = "audio/ogg",
        [".opus"] = "audio/ogg",
        [".oga"] = "audio/ogg",
        [".flac"] = "audio/flac",
        [".wav"] = "audio/wav",
    };

    private static readonly HashSet<string> VideoExtensions = new(StringComparer.OrdinalIgnoreCase) { ".mp4", ".m4v", ".mov", ".mkv", ".webm" };

    /// <summary>The type to serve <paramref name="fileName"/> with; null for a file the site does not serve.</summary>
    public static string? For(string fileName) =>
        Path.GetFileName(fileName).Equals(SiteLayout.ChaptersJson, StringComparison.Ordinal)
            ? PodcastChaptersWriter.ContentType
            : ByExtension.GetValueOrDefault(Path.GetExtension(fileName));

    /// <summary>The media type without parameters, as an enclosure or a <c>&lt;source type&gt;</c> states it.</summary>
    public static string MediaType(string fileName) => (For(fileName) ?? "application/octet-stream").Split(';')[0];

    /// <summary>Whether the page shows a <c>&lt;video&gt;</c> (else an <c>&lt;audio&gt;</c>) for this media file.</summary>
    public static bool IsVideo(string fileName) => VideoExtensions.Contains(Path.GetExtension(fileName));
}
