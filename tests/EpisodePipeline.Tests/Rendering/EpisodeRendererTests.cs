using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Rendering;

/// <summary>The Render stage on real files: page, captions, chapters, feed and site index from a prepared transcript and enrichment.</summary>
public sealed class EpisodeRendererTests : IAsyncLifetime
{
    private const string Id = "newsroom-2024-bb_test";
    private static readonly XNamespace Podcast = "https://podcastindex.org/namespace/1.0";
    private readonly TestFolders _folders = new();
    private ServiceProvider _services = null!;

    private string Output => Path.Combine(_folders.Root, "output");

    private string EpisodeFolder => Path.Combine(Output, "episodes", Id);

    public async Task InitializeAsync() => _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom-2024/bb_test.mp4");

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _folders.Dispose();
    }

    private async Task<IEpisodeRenderer> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = _folders.Settings("models/unused.bin");
        settings["Pipeline:Render:SiteTitle"] = "Newsroom";
        settings["Pipeline:Render:BaseUrl"] = "https://pods.example.org/site";
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddEpisodePipeline()
            .BuildServiceProvider();
        await _services.GetRequiredService<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
        return _services.GetRequiredService<IEpisodeRenderer>();
    }

    private async Task<RenderOutcome> RenderAsync(bool hostile = false, bool enriched = true, Dictionary<string, string?>? extra = null)
    {
        var renderer = await StartAsync(extra);
        await SampleEpisode.WriteAsync(_services.GetRequiredService<DataLayout>(), Id, 30, hostile, enriched);
        return await renderer.RenderAsync(Id);
    }

    private IDocument Page(string relative = "episodes/" + Id + "/index.html") =>
        new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(Output, relative)));

    [Fact]
    public async Task Render_PageHasChaptersTranscriptSegmentsPlayerAndCaptionTrack()
    {
        var outcome = await RenderAsync();

        var page = Page();
        Assert.Equal("Local first media pipelines", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("How one workstation turns episodes into pages.", page.QuerySelector("p.description")!.TextContent);
        Assert.Equal(2, page.QuerySelectorAll(".summary p").Length);
        var video = page.QuerySelector("video#player")!;
        Assert.Equal(("media.mp4", "video/mp4"), (video.QuerySelector("source")!.GetAttribute("src"), video.QuerySelector("source")!.GetAttribute("type")));
        Assert.Equal("captions.vtt", video.QuerySelector("track[kind=captions]")!.GetAttribute("src"));
        Assert.Equal("chapters.vtt", video.QuerySelector("track[kind=chapters]")!.GetAttribute("src"));
        Assert.Equal(["0", "10", "20"], page.QuerySelectorAll("#chapters button.seek").Select(b => b.GetAttribute("data-start")));
        Assert.Equal(["Introduction", "Transcription", "Publishing"], page.QuerySelectorAll("#chapters .chapter-title").Select(e => e.TextContent));
        Assert.Equal(["local-first", "whisper", "podcasting"], page.QuerySelectorAll("#keywords li").Select(e => e.TextContent));
        Assert.Equal("9", page.QuerySelector("#quotes button.seek")!.GetAttribute("data-start"));

        var transcript = SampleEpisode.Transcript(Id, 30);
        var segments = page.QuerySelectorAll("#transcript li.segment");
        Assert.Equal(transcript.Segments.Count, segments.Length);
        Assert.Equal(transcript.Segments.Select(s => (s.Start, s.End, s.Text)),
            segments.Select(s => (double.Parse(s.GetAttribute("data-start")!, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(s.GetAttribute("data-end")!, System.Globalization.CultureInfo.InvariantCulture), s.QuerySelector(".text")!.TextContent)));
        Assert.NotNull(page.QuerySelector("input#filter[type=search]"));
        Assert.Equal("../../assets/player.js", page.QuerySelector("script")!.GetAttribute("src"));

        Assert.Equal($"/site/episodes/{Id}/", outcome.PageUrl);
        Assert.Equal($"https://pods.example.org/site/episodes/{Id}/", outcome.PublicUrl);
        Assert.Equal((10, 3, true), (outcome.Segments, outcome.Chapters, outcome.Enriched));
        foreach (var kind in new[] { RenderedFiles.Page, RenderedFiles.Media, RenderedFiles.CaptionsVtt, RenderedFiles.CaptionsSrt, RenderedFiles.ChaptersVtt,
            RenderedFiles.ChaptersJson, RenderedFiles.PodcastTranscript, RenderedFiles.TranscriptText, RenderedFiles.ChapterList, RenderedFiles.Enrichment, RenderedFiles.Feed, RenderedFiles.SiteIndex })
        {
            Assert.True(File.Exists(Path.Combine(Output, outcome.Files[kind])), kind);
            Assert.StartsWith("/site/", outcome.Urls[kind], StringComparison.Ordinal);
        }

        Assert.Equal(new FileInfo(Path.Combine(_folders.Media, "newsroom-2024", "bb_test.mp4")).Length, new FileInfo(Path.Combine(EpisodeFolder, "media.mp4")).Length);
        Assert.Equal(EpisodeStage.Rendered, (await _services.GetRequiredService<EpisodeCatalog>().FindAsync(Id, CancellationToken.None))!.Stage);
        Assert.Empty(Directory.EnumerateFiles(Output, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Render_CaptionsAndChaptersFilesCarryTheSegmentTimings()
    {
        await RenderAsync();
        var transcript = SampleEpisode.Transcript(Id, 30);

        var vtt = File.ReadAllText(Path.Combine(EpisodeFolder, "captions.vtt"));
        Assert.StartsWith("WEBVTT\n", vtt, StringComparison.Ordinal);
        var vttTimes = System.Text.RegularExpressions.Regex.Matches(vtt, @"(\S+) --> (\S+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value));
        Assert.Equal(transcript.Segments.Select(s => (Timecode.Vtt(s.Start), Timecode.Vtt(s.End))), vttTimes);

        var srt = File.ReadAllText(Path.Combine(EpisodeFolder, "captions.srt"));
        var srtTimes = System.Text.RegularExpressions.Regex.Matches(srt, @"(\S+) --> (\S+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value));
        Assert.Equal(transcript.Segments.Select(s => (Timecode.Srt(s.Start), Timecode.Srt(s.End))), srtTimes);

        using var chapters = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(EpisodeFolder, "chapters.json")));
        Assert.Equal("1.2.0", chapters.RootElement.GetProperty("version").GetString());
        Assert.Equal([0.0, 10, 20], chapters.RootElement.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("startTime").GetDouble()));
        Assert.Equal("00:00 Introduction\n00:10 Transcription\n00:20 Publishing\n", File.ReadAllText(Path.Combine(EpisodeFolder, "chapters.txt")));

        using var podcast = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(EpisodeFolder, "transcript.json")));
        Assert.Equal(transcript.Segments.Select(s => s.Start), podcast.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("startTime").GetDouble()));
        Assert.StartsWith("Welcome to the newsroom podcast.\n", File.ReadAllText(Path.Combine(EpisodeFolder, "transcript.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_FeedIsRss2WithEnclosureTranscriptAndChaptersTags()
    {
        await RenderAsync();

        var feed = XDocument.Parse(File.ReadAllText(Path.Combine(Output, "feed.xml")));

        Assert.Equal("2.0", feed.Root!.Attribute("version")!.Value);
        var channel = feed.Root.Element("channel")!;
        Assert.Equal("Newsroom", channel.Element("title")!.Value);
        var item = Assert.Single(channel.Elements("item"));
        Assert.Equal($"https://pods.example.org/site/episodes/{Id}/", item.Element("link")!.Value);
        Assert.True(DateTimeOffset.TryParse(item.Element("pubDate")!.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        var enclosure = item.Element("enclosure")!;
        Assert.Equal($"https://pods.example.org/site/episodes/{Id}/media.mp4", enclosure.Attribute("url")!.Value);
        Assert.Equal(new FileInfo(Path.Combine(EpisodeFolder, "media.mp4")).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), enclosure.Attribute("length")!.Value);
        Assert.Equal("video/mp4", enclosure.Attribute("type")!.Value);
        var transcripts = item.Elements(Podcast + "transcript").ToList();
        Assert.Equal(["application/json", "text/vtt", "application/x-subrip"], transcripts.Select(t => t.Attribute("type")!.Value));
        Assert.Equal($"https://pods.example.org/site/episodes/{Id}/transcript.json", transcripts[0].Attribute("url")!.Value);
        var chapters = item.Element(Podcast + "chapters")!;
        Assert.Equal(("application/json+chapters", $"https://pods.example.org/site/episodes/{Id}/chapters.json"), (chapters.Attribute("type")!.Value, chapters.Attribute("url")!.Value));
    }

    [Fact]
    public async Task Render_HostileTranscriptAndLlmStrings_ComeOutInert()
    {
        await RenderAsync(hostile: true);

        var page = Page();
        Assert.Equal(["../../assets/player.js"], page.QuerySelectorAll("script").Select(s => s.GetAttribute("src")));
        Assert.Empty(page.QuerySelectorAll("img, b, iframe, object, embed"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("<script>window.pwned=1</script>", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var texts = page.QuerySelectorAll("#transcript .text").Select(e => e.TextContent).ToList();
        Assert.Equal(SampleEpisode.Hostile, texts.Take(SampleEpisode.Hostile.Count));
        Assert.Contains("{{ 6 * 7 }}", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("42", page.Body.TextContent, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", File.ReadAllText(Path.Combine(EpisodeFolder, "captions.vtt")), StringComparison.Ordinal);

        var feed = XDocument.Parse(File.ReadAllText(Path.Combine(Output, "feed.xml")));
        Assert.StartsWith("<script>", feed.Descendants("item").Single().Element("title")!.Value, StringComparison.Ordinal);
        var index = Page("index.html");
        Assert.Empty(index.QuerySelectorAll("script, img"));
        Assert.StartsWith("<script>", index.QuerySelector("#episodes h2 a")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WithoutEnrichment_PublishesTheTranscriptWithoutChapters()
    {
        var outcome = await RenderAsync(enriched: false);

        var page = Page();
        Assert.Equal("bb_test", page.QuerySelector("h1")!.TextContent);
        Assert.Null(page.QuerySelector("#chapters"));
        Assert.Null(page.QuerySelector("track[kind=chapters]"));
        Assert.Equal(10, page.QuerySelectorAll("#transcript li.segment").Length);
        Assert.False(outcome.Enriched);
        Assert.False(File.Exists(Path.Combine(EpisodeFolder, "chapters.json")));
        Assert.Null(XDocument.Parse(File.ReadAllText(Path.Combine(Output, "feed.xml"))).Descendants(Podcast + "chapters").SingleOrDefault());
    }

    [Fact]
    public async Task Render_TwoEpisodes_IndexAndFeedListBothNewestFirst()
    {
        var older = _folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "older.mp3");
        File.SetLastWriteTimeUtc(older, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var renderer = await StartAsync();
        var layout = _services.GetRequiredService<DataLayout>();
        await SampleEpisode.WriteAsync(layout, "older", 12);
        await SampleEpisode.WriteAsync(layout, Id, 30);

        await renderer.RenderAsync("older");
        await renderer.RenderAsync(Id);

        Assert.Equal([Id, "older"], Page("index.html").QuerySelectorAll("#episodes li.episode").Select(e => e.GetAttribute("data-episode-id")));
        Assert.Equal($"episodes/{Id}/", Page("index.html").QuerySelector("#episodes a")!.GetAttribute("href"));
        var feed = XDocument.Parse(File.ReadAllText(Path.Combine(Output, "feed.xml")));
        Assert.Equal([Id, "older"], feed.Descendants("item").Select(i => i.Element("guid")!.Value));
        Assert.Equal("audio/mpeg", feed.Descendants("item").Last().Element("enclosure")!.Attribute("type")!.Value);
        Assert.NotNull(Page("episodes/older/index.html").QuerySelector("audio#player"));
    }

    [Fact]
    public async Task Render_TemplatesFolder_OverridesOneTemplateAndKeepsTheOthers()
    {
        var templates = Path.Combine(_folders.Root, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "episode.html.sbn"),
            "<p id=a>{{ episode.title }}</p><p id=b>{{ episode.title | html.escape }}</p><p id=c>{{ segments.size }}</p>");

        await RenderAsync(hostile: true, extra: new() { ["Pipeline:Render:TemplatesFolder"] = "templates" });

        var page = Page();
        Assert.StartsWith("<script>", page.QuerySelector("#a")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(page.QuerySelector("#a")!.TextContent, page.QuerySelector("#b")!.TextContent);
        Assert.Equal("10", page.QuerySelector("#c")!.TextContent);
        Assert.NotNull(Page("index.html").QuerySelector("#episodes"));
    }
}
