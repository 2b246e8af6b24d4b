using System.Net;
using System.Net.Http.Headers;
using EpisodePipeline.Host;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// The rendered site as the standalone host serves it under <c>/site/</c>: content types, range requests, no way
/// out of the output folder, and the page itself in headless Chromium (Debian's, <c>/usr/bin/chromium</c>).
/// </summary>
public sealed class SiteTests : IAsyncLifetime
{
    private const string Id = "newsroom-2024-bb_test";
    private static readonly TimeSpan BrowserTimeout = HeadlessChromium.Timeout;
    private readonly TestFolders _folders = new();
    private StandaloneHost _host = null!;
    private HttpClient _http = null!;
    private RenderOutcome _outcome = null!;

    public async Task InitializeAsync()
    {
        // H.264/AAC in MP4, as a user's episode would be: Debian's Chromium plays it (canPlayType "probably").
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom-2024/bb_test.mp4");
        _host = await StandaloneHost.StartAsync([.. TestFolders.AsArgs(_folders.Settings("models/unused.bin")), "--port", "0"]);
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await _host.Services.GetRequiredService<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
        await SampleEpisode.WriteAsync(_host.Services.GetRequiredService<DataLayout>(), Id, 30);
        _outcome = await _host.Services.GetRequiredService<IEpisodeRenderer>().RenderAsync(Id);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }

    [Theory]
    [InlineData("/site/", "text/html")]
    [InlineData("/site/feed.xml", "application/rss+xml")]
    [InlineData("/site/assets/player.js", "text/javascript")]
    [InlineData("/site/episodes/" + Id + "/", "text/html")]
    [InlineData("/site/episodes/" + Id + "/captions.vtt", "text/vtt")]
    [InlineData("/site/episodes/" + Id + "/captions.srt", "application/x-subrip")]
    [InlineData("/site/episodes/" + Id + "/chapters.vtt", "text/vtt")]
    [InlineData("/site/episodes/" + Id + "/chapters.json", "application/json+chapters")]
    [InlineData("/site/episodes/" + Id + "/transcript.json", "application/json")]
    [InlineData("/site/episodes/" + Id + "/transcript.txt", "text/plain")]
    [InlineData("/site/episodes/" + Id + "/media.mp4", "video/mp4")]
    public async Task Site_ServesEachFileWithItsContentType(string path, string contentType)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task Site_RangeRequest_Returns206WithThatPartOfTheMedia()
    {
        var media = await File.ReadAllBytesAsync(Path.Combine(_folders.Root, "output", _outcome.Files[RenderedFiles.Media]));
        using var request = new HttpRequestMessage(HttpMethod.Get, _outcome.Urls[RenderedFiles.Media]);
        request.Headers.Range = new RangeHeaderValue(100, 1123);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-1123/{media.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(media.AsSpan(100, 1024).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Site_FolderWithoutSlash_RedirectsSoRelativeLinksResolve()
    {
        using var response = await _http.GetAsync($"/site/episodes/{Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/site/episodes/{Id}/", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/site/%2e%2e/data/catalog.json")]
    [InlineData("/site/..%2fdata%2fcatalog.json")]
    [InlineData("/site/episodes/%2e%2e%2f%2e%2e%2f..%2fdata/catalog.json")]
    [InlineData("/site/episodes/" + Id + "/..%5c..%5c..%5cdata%5ccatalog.json")]
    [InlineData("/site/.hidden.html")]
    [InlineData("/site/index.html.1.abc.tmp")]
    [InlineData("/site/episodes/" + Id + "/missing.vtt")]
    public async Task Site_PathsOutsideTheSiteOrNotPublished_Answer404(string path)
    {
        await File.WriteAllTextAsync(Path.Combine(_folders.Root, "output", ".hidden.html"), "secret");
        await File.WriteAllTextAsync(Path.Combine(_folders.Root, "output", "index.html.1.abc.tmp"), "half");
        var uri = new Uri(_host.BaseAddress + path.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        using var response = await _http.GetAsync(uri);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Browser_ChapterAndTranscriptClicksSeekThePlayerAndTheFilterFindsAWord()
    {
        using var timeout = new CancellationTokenSource(BrowserTimeout);
        await using var browser = await HeadlessChromium.LaunchAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1200 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(new Uri(_host.BaseAddress, _outcome.PageUrl).ToString()).WaitAsync(timeout.Token);
        Assert.Equal("probably", await page.EvaluateAsync<string>("() => document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"')"));
        await page.WaitForFunctionAsync("() => document.getElementById('player').readyState >= 1").WaitAsync(timeout.Token);

        await page.ClickAsync("#chapters li:nth-child(2) button.seek").WaitAsync(timeout.Token);
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('player').currentTime; return t >= 10 && t < 14; }").WaitAsync(timeout.Token);

        await page.ClickAsync("#transcript li:nth-child(5) button.seek").WaitAsync(timeout.Token);
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('player').currentTime; return t >= 12 && t < 16; }").WaitAsync(timeout.Token);
        await page.EvaluateAsync("() => document.getElementById('player').pause()").WaitAsync(timeout.Token);
        await page.WaitForFunctionAsync("() => document.querySelector('#transcript li.current') !== null").WaitAsync(timeout.Token);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)").WaitAsync(timeout.Token);
        var screenshot = HeadlessChromium.Screenshot("episode-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true }).WaitAsync(timeout.Token);
        HeadlessChromium.PublishToDocs(screenshot);

        await page.FillAsync("#filter", "subtitles").WaitAsync(timeout.Token);
        var visible = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#transcript li.segment:not([hidden]) .text')].map(e => e.textContent)");
        Assert.Equal(["Finally we publish pages and subtitles."], visible);
        Assert.Equal("subtitles", await page.TextContentAsync("#transcript li.segment:not([hidden]) mark"));
        Assert.Equal("1 of 10 segments", await page.TextContentAsync("#filter-status"));
        await page.ScreenshotAsync(new() { Path = HeadlessChromium.Screenshot("episode-page-filtered.png") }).WaitAsync(timeout.Token);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Browser_HostilePage_RunsNoInjectedScript()
    {
        using var timeout = new CancellationTokenSource(BrowserTimeout);
        await SampleEpisode.WriteAsync(_host.Services.GetRequiredService<DataLayout>(), Id, 30, hostile: true);
        await _host.Services.GetRequiredService<IEpisodeRenderer>().RenderAsync(Id);
        await using var browser = await HeadlessChromium.LaunchAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(_host.BaseAddress, _outcome.PageUrl).ToString()).WaitAsync(timeout.Token);
        await page.ClickAsync("#transcript li:nth-child(2) button.seek").WaitAsync(timeout.Token);
        await page.FillAsync("#filter", "pwned").WaitAsync(timeout.Token);

        Assert.Equal("none", await page.EvaluateAsync<string>("() => String(window.pwned ?? 'none')"));
        Assert.StartsWith("<script>", await page.TextContentAsync("h1"), StringComparison.Ordinal);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img, #transcript script').length"));
        Assert.Equal("3 of 10 segments", await page.TextContentAsync("#filter-status"));
    }
}
