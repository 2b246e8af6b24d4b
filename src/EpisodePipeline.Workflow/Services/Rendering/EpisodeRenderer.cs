using System.Globalization;
using System.Text.RegularExpressions;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Transcription;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// <see cref="IEpisodeRenderer"/>: writes the episode's files with the pure format writers and its page with the
/// templates, each file atomically (the page after everything it links to), then rebuilds the site index and
/// the feed from every page folder's <c>episode.json</c>.
/// </summary>
public sealed partial class EpisodeRenderer(
    EpisodeCatalog catalog,
    DataLayout data,
    SiteLayout site,
    ITemplateRenderer templates,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<EpisodeRenderer> logger) : IEpisodeRenderer, IDisposable
{
    public const string EpisodeTemplate = "episode.html.sbn";
    public const string IndexTemplate = "index.html.sbn";
    public const string FeedTemplate = "feed.xml.sbn";
    public static readonly IReadOnlyList<string> Assets = ["player.js", "site.css"];

    /// <summary>The Enrich stage's output beside the transcript.</summary>
    public const string EnrichmentFileName = "enrichment.json";

    // Two renders finishing together must not rebuild the index from each other's half-seen folders.
    private readonly SemaphoreSlim _siteLock = new(1, 1);

    private RenderOptions Settings => options.Value.Render;

    public void Dispose() => _siteLock.Dispose();

    public async Task<RenderOutcome> RenderAsync(string episodeId, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var episode = await catalog.FindAsync(episodeId, cancellationToken)
            ?? throw new InvalidOperationException($"Episode '{episodeId}' is not in the catalog; run discovery first.");
        var transcript = await AtomicFile.ReadJsonAsync<Transcript>(data.TranscriptPath(episodeId), cancellationToken)
            ?? throw new InvalidOperationException($"Episode '{episodeId}' has no transcript at '{data.TranscriptPath(episodeId)}'; transcribe it first.");
        var enrichmentPath = Path.Combine(data.EpisodeFolder(episodeId), EnrichmentFileName);
        var enrichment = await AtomicFile.ReadJsonAsync<Enrichment>(enrichmentPath, cancellationToken);

        var folder = site.EpisodeFolder(episodeId);
        Directory.CreateDirectory(folder);
        var media = PublishMedia(episode, folder);

        var segments = TimedText.FromTranscript(transcript.Segments);
        var duration = transcript.DurationSeconds > 0 ? transcript.DurationSeconds : episode.DurationSeconds ?? (segments.Count > 0 ? segments[^1].End : 0);
        var chapters = enrichment is null ? [] : TimedText.FromChapters(enrichment.Chapters, duration);
        var title = RenderText.Line(enrichment?.Title) is { Length: > 0 } t ? t : RenderText.Line(episode.Title);
        var description = RenderText.Line(enrichment?.Description);
        var language = Language(transcript.Language);

        var files = new Dictionary<string, string>(StringComparer.Ordinal) { [RenderedFiles.Media] = media.Name };
        await WriteAsync(folder, SiteLayout.CaptionsVtt, RenderedFiles.CaptionsVtt, WebVttWriter.Captions(segments), files, cancellationToken);
        await WriteAsync(folder, SiteLayout.CaptionsSrt, RenderedFiles.CaptionsSrt, SrtWriter.Write(segments), files, cancellationToken);
        await WriteAsync(folder, SiteLayout.PodcastTranscript, RenderedFiles.PodcastTranscript, PodcastTranscriptWriter.Write(segments), files, cancellationToken);
        await WriteAsync(folder, SiteLayout.TranscriptText, RenderedFiles.TranscriptText, TranscriptMerger.ToText(segments.Select(s => new TranscriptSegment(s.Start, s.End, s.Text))), files, cancellationToken);
        if (chapters.Count > 0)
        {
            await WriteAsync(folder, SiteLayout.ChaptersVtt, RenderedFiles.ChaptersVtt, WebVttWriter.Chapters(chapters), files, cancellationToken);
            await WriteAsync(folder, SiteLayout.ChaptersJson, RenderedFiles.ChaptersJson,
                PodcastChaptersWriter.Write(chapters, title, Settings.SiteTitle, description, media.Name), files, cancellationToken);
            await WriteAsync(folder, SiteLayout.ChapterList, RenderedFiles.ChapterList, ChapterListWriter.Write(chapters), files, cancellationToken);
        }
        else
        {
            Delete(folder, SiteLayout.ChaptersVtt, SiteLayout.ChaptersJson, SiteLayout.ChapterList);
        }

        if (enrichment is not null)
        {
            var published = Path.Combine(folder, SiteLayout.Enrichment);
            var temp = AtomicFile.TempPathFor(published);
            File.Copy(enrichmentPath, temp, overwrite: true);
            File.Move(temp, published, overwrite: true);
            files[RenderedFiles.Enrichment] = SiteLayout.Enrichment;
        }
        else
        {
            Delete(folder, SiteLayout.Enrichment);
        }

        var entry = new SiteEntry
        {
            Id = episodeId,
            Title = title,
            Description = description,
            Language = language,
            PublishedAt = episode.ModifiedAt,
            DurationSeconds = duration,
            MediaFile = media.Name,
            MediaLength = media.Length,
            HasChapters = chapters.Count > 0,
            RenderedAt = time.GetUtcNow(),
        };
        var page = templates.Render(EpisodeTemplate, PageModel(entry, enrichment, segments, chapters), cancellationToken);
        await WriteAsync(folder, SiteLayout.Page, RenderedFiles.Page, page, files, cancellationToken);
        await AtomicFile.WriteJsonAsync(Path.Combine(folder, SiteLayout.Entry), entry, cancellationToken);

        await RebuildSiteAsync(cancellationToken);
        await catalog.UpdateAsync(episodeId, e => e with { Stage = EpisodeStage.Rendered }, cancellationToken);

        var relative = files.ToDictionary(f => f.Key, f => SiteLayout.Relative(episodeId, f.Value), StringComparer.Ordinal);
        relative[RenderedFiles.SiteIndex] = SiteLayout.Page;
        relative[RenderedFiles.Feed] = SiteLayout.Feed;
        logger.EpisodeRendered(episodeId, segments.Count, chapters.Count, time.GetElapsedTime(started).TotalMilliseconds);
        return new RenderOutcome
        {
            EpisodeId = episodeId,
            PageUrl = SiteLayout.PageUrl(episodeId),
            PublicUrl = new Uri(Settings.BaseUri(), $"episodes/{episodeId}/").ToString(),
            Segments = segments.Count,
            Chapters = chapters.Count,
            Enriched = enrichment is not null,
            Files = relative,
            Urls = relative.ToDictionary(f => f.Key, f => f.Key == RenderedFiles.Page ? SiteLayout.PageUrl(episodeId) : SiteLayout.Url(f.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>Rebuilds <c>index.html</c>, <c>feed.xml</c> and the assets from every rendered episode, newest first.</summary>
    public async Task RebuildSiteAsync(CancellationToken cancellationToken = default)
    {
        await _siteLock.WaitAsync(cancellationToken);
        try
        {
            var entries = new List<SiteEntry>();
            if (Directory.Exists(site.EpisodesFolder))
            {
                foreach (var folder in Directory.EnumerateDirectories(site.EpisodesFolder))
                {
                    if (await AtomicFile.ReadJsonAsync<SiteEntry>(Path.Combine(folder, SiteLayout.Entry), cancellationToken) is { } entry
                        && entry.Id == Path.GetFileName(folder))
                    {
                        entries.Add(entry);
                    }
                }
            }

            entries.Sort((a, b) => b.PublishedAt.CompareTo(a.PublishedAt) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
            foreach (var asset in Assets)
            {
                await AtomicFile.WriteTextAsync(Path.Combine(site.OutputFolder, SiteLayout.AssetsFolder, asset), templates.Asset(asset), cancellationToken);
            }

            await AtomicFile.WriteTextAsync(Path.Combine(site.OutputFolder, SiteLayout.Feed), templates.Render(FeedTemplate, FeedModel(entries), cancellationToken), cancellationToken);
            await AtomicFile.WriteTextAsync(Path.Combine(site.OutputFolder, SiteLayout.Page), templates.Render(IndexTemplate, IndexModel(entries), cancellationToken), cancellationToken);
        }
        finally
        {
            _siteLock.Release();
        }
    }

    private Dictionary<string, object?> PageModel(SiteEntry entry, Enrichment? enrichment, IReadOnlyList<TimedText> segments, IReadOnlyList<TimedText> chapters) => new()
    {
        ["site"] = SiteModel(),
        ["links"] = Links("../../"),
        ["episode"] = EntryModel(entry, $"{entry.Id}/"),
        ["files"] = new Dictionary<string, object?>
        {
            ["captions_vtt"] = SiteLayout.CaptionsVtt,
            ["captions_srt"] = SiteLayout.CaptionsSrt,
            ["chapters_vtt"] = SiteLayout.ChaptersVtt,
            ["chapters_json"] = SiteLayout.ChaptersJson,
            ["podcast_transcript"] = SiteLayout.PodcastTranscript,
            ["transcript_txt"] = SiteLayout.TranscriptText,
            ["chapter_list"] = SiteLayout.ChapterList,
        },
        ["summary"] = RenderText.Paragraphs(enrichment?.Summary),
        ["keywords"] = enrichment is null ? [] : enrichment.Keywords.Select(RenderText.Line).Where(k => k.Length > 0).ToList(),
        ["chapters"] = chapters.Select(c => new Dictionary<string, object?>
        {
            ["start"] = Seconds(c.Start),
            ["end"] = Seconds(c.End),
            ["clock"] = Timecode.Clock(c.Start),
            ["title"] = c.Text,
            ["summary"] = c.Detail,
        }).ToList(),
        ["quotes"] = enrichment is null ? [] : enrichment.Quotes
            .Select(q => (q.Start, q.End, Text: RenderText.Line(q.Text)))
            .Where(q => q.Text.Length > 0)
            .OrderBy(q => q.Start)
            .Select(q => new Dictionary<string, object?>
            {
                ["start"] = Seconds(q.Start),
                ["end"] = Seconds(q.End),
                ["clock"] = Timecode.Clock(q.Start),
                ["text"] = q.Text,
            }).ToList(),
        ["segments"] = segments.Select((s, i) => new Dictionary<string, object?>
        {
            ["index"] = i + 1,
            ["start"] = Seconds(s.Start),
            ["end"] = Seconds(s.End),
            ["clock"] = Timecode.Clock(s.Start),
            ["text"] = s.Text,
        }).ToList(),
    };

    private Dictionary<string, object?> IndexModel(IReadOnlyList<SiteEntry> entries) => new()
    {
        ["site"] = SiteModel(),
        ["links"] = Links(""),
        ["episodes"] = entries.Select(e => EntryModel(e, $"episodes/{e.Id}/")).ToList(),
    };

    private Dictionary<string, object?> FeedModel(IReadOnlyList<SiteEntry> entries)
    {
        var baseUri = Settings.BaseUri();
        string Absolute(string relative) => new Uri(baseUri, relative).ToString();
        var model = SiteModel();
        model["url"] = Absolute(SiteLayout.Page);
        model["feed_url"] = Absolute(SiteLayout.Feed);
        model["built_rfc822"] = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        return new()
        {
            ["site"] = model,
            ["episodes"] = entries.Select(e =>
            {
                var item = EntryModel(e, $"episodes/{e.Id}/");
                item["url"] = Absolute($"episodes/{e.Id}/");
                item["published_rfc822"] = e.PublishedAt.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
                item["media"] = Media(e, Absolute(SiteLayout.Relative(e.Id, e.MediaFile)));
                item["transcript_url"] = Absolute(SiteLayout.Relative(e.Id, SiteLayout.PodcastTranscript));
                item["captions_url"] = Absolute(SiteLayout.Relative(e.Id, SiteLayout.CaptionsVtt));
                item["srt_url"] = Absolute(SiteLayout.Relative(e.Id, SiteLayout.CaptionsSrt));
                item["chapters_url"] = e.HasChapters ? Absolute(SiteLayout.Relative(e.Id, SiteLayout.ChaptersJson)) : "";
                return item;
            }).ToList(),
        };
    }

    private Dictionary<string, object?> SiteModel() => new()
    {
        ["title"] = RenderText.Line(Settings.SiteTitle),
        ["description"] = RenderText.Line(Settings.SiteDescription),
    };

    private static Dictionary<string, object?> Links(string toRoot) => new()
    {
        ["index"] = toRoot + SiteLayout.Page,
        ["feed"] = toRoot + SiteLayout.Feed,
        ["css"] = $"{toRoot}{SiteLayout.AssetsFolder}/site.css",
        ["js"] = $"{toRoot}{SiteLayout.AssetsFolder}/player.js",
    };

    /// <summary>An episode as templates see it; <paramref name="page"/> is its page folder relative to where the template's output lies.</summary>
    private static Dictionary<string, object?> EntryModel(SiteEntry e, string page) => new()
    {
        ["id"] = e.Id,
        ["title"] = e.Title,
        ["description"] = e.Description,
        ["language"] = e.Language,
        ["page"] = page,
        ["published_iso"] = e.PublishedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["published_display"] = e.PublishedAt.ToUniversalTime().ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
        ["duration"] = Seconds(e.DurationSeconds),
        ["duration_clock"] = Timecode.Clock(e.DurationSeconds),
        ["has_chapters"] = e.HasChapters,
        ["media"] = Media(e, e.MediaFile),
    };

    private static Dictionary<string, object?> Media(SiteEntry e, string url) => new()
    {
        ["url"] = url,
        ["type"] = SiteContentTypes.MediaType(e.MediaFile),
        ["length"] = e.MediaLength.ToString(CultureInfo.InvariantCulture),
        ["is_video"] = SiteContentTypes.IsVideo(e.MediaFile),
    };

    /// <summary>Seconds as the page's <c>data-start</c> attributes carry them: milliseconds, invariant culture.</summary>
    private static string Seconds(double value) => (Timecode.Milliseconds(value) / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A BCP 47 tag for <c>lang</c>/<c>srclang</c>; Whisper's <c>auto</c> (or anything odd) is <c>und</c>, undetermined.</summary>
    private static string Language(string language) => LanguageTag().IsMatch(language) && language != "auto" ? language : "und";

    private (string Name, long Length) PublishMedia(Episode episode, string folder)
    {
        var name = "media" + Path.GetExtension(episode.MediaPath).ToLowerInvariant();
        var target = Path.Combine(folder, name);
        if (File.Exists(episode.MediaPath))
        {
            var linked = MediaPublisher.Publish(episode.MediaPath, target);
            logger.MediaPublished(episode.Id, target, linked ? "hard link" : "copy or unchanged");
        }
        else if (!File.Exists(target))
        {
            throw new FileNotFoundException($"Media file of episode '{episode.Id}' is gone: '{episode.MediaPath}'. Run discovery again.");
        }

        foreach (var stale in Directory.EnumerateFiles(folder, "media.*").Where(f => Path.GetFileName(f) != name && !f.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            File.Delete(stale);
        }

        return (name, new FileInfo(target).Length);
    }

    private static async Task WriteAsync(string folder, string fileName, string kind, string content, Dictionary<string, string> files, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteTextAsync(Path.Combine(folder, fileName), content, cancellationToken);
        files[kind] = fileName;
    }

    private static void Delete(string folder, params string[] fileNames)
    {
        foreach (var name in fileNames)
        {
            File.Delete(Path.Combine(folder, name));
        }
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();
}
