using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// Where the Render stage writes under the output folder: a static site that works from any web server
/// (links inside it are relative), and its URLs under the hosts' <see cref="RoutePrefix"/>.
/// <code>
/// index.html, feed.xml, assets/site.css, assets/player.js
/// episodes/&lt;id&gt;/index.html, media.&lt;ext&gt;, captions.vtt, captions.srt, chapters.vtt, chapters.json,
///                 transcript.json, transcript.txt, chapters.txt, enrichment.json, episode.json
/// </code>
/// </summary>
public sealed class SiteLayout(IOptions<PipelineOptions> options)
{
    /// <summary>The path both hosts serve the output folder under.</summary>
    public const string RoutePrefix = "/site";

    public const string Page = "index.html";
    public const string CaptionsVtt = "captions.vtt";
    public const string CaptionsSrt = "captions.srt";
    public const string ChaptersVtt = "chapters.vtt";
    public const string ChaptersJson = "chapters.json";
    public const string PodcastTranscript = "transcript.json";
    public const string TranscriptText = "transcript.txt";
    public const string ChapterList = "chapters.txt";
    public const string Enrichment = "enrichment.json";

    /// <summary>What the site index and feed are rebuilt from: one per rendered episode.</summary>
    public const string Entry = "episode.json";
    public const string Feed = "feed.xml";
    public const string AssetsFolder = "assets";

    public string OutputFolder { get; } = options.Value.Resolve(options.Value.OutputFolder);

    public string EpisodesFolder => Path.Combine(OutputFolder, "episodes");

    public string EpisodeFolder(string episodeId) =>
        EpisodeIds.IsValid(episodeId)
            ? Path.Combine(EpisodesFolder, episodeId)
            : throw new ArgumentException($"'{episodeId}' is not a valid episode id.", nameof(episodeId));

    /// <summary>A file of the episode's folder, relative to the output folder with forward slashes (<c>episodes/x/captions.vtt</c>).</summary>
    public static string Relative(string episodeId, string fileName) => $"episodes/{episodeId}/{fileName}";

    /// <summary>Where a host serves an output-relative path: <c>/site/episodes/x/captions.vtt</c>.</summary>
    public static string Url(string relativePath) => $"{RoutePrefix}/{relativePath}";

    /// <summary>The episode page's URL on the hosts, the folder form so the page's relative links resolve.</summary>
    public static string PageUrl(string episodeId) => $"{RoutePrefix}/episodes/{episodeId}/";
}
