using EpisodePipeline.TestKit;
using Microsoft.Playwright;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) driven by Playwright, headless and without the sandbox (tests run as
/// root in containers), and the screenshots browser tests keep.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Every browser wait: a page that never gets there fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {ExecutablePath}: apt-get install chromium (.ci/run does).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            return new HeadlessChromium(playwright, await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Args = ["--no-sandbox"], Headless = true }));
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page whose waits time out after <see cref="Timeout"/>.</summary>
    public async Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        var page = await Browser.NewPageAsync(options);
        page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        return page;
    }

    /// <summary>Where a screenshot is kept: <c>artifacts/screenshots/</c>, which git ignores.</summary>
    public static string Screenshot(string name)
    {
        var path = Path.Combine(RepositoryRoot.Find(), "artifacts", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>With <c>EPISODEPIPELINE_UPDATE_DOCS=1</c> a screenshot also replaces README's <c>docs/images/</c> copy.</summary>
    public static void PublishToDocs(string screenshot)
    {
        if (Environment.GetEnvironmentVariable("EPISODEPIPELINE_UPDATE_DOCS") == "1")
        {
            var docs = Path.Combine(RepositoryRoot.Find(), "docs", "images", Path.GetFileName(screenshot));
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(screenshot, docs, overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
