using System.Net;
using EpisodePipeline.Functions.Functions;
using EpisodePipeline.Http;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>The Functions app's <c>site/{*path}</c> function answers as the standalone host does: types, ranges, 404 outside.</summary>
public sealed class SiteFunctionsTests : IDisposable
{
    private readonly TestFolders _folders = new();
    private readonly SiteFunctions _functions;

    public SiteFunctionsTests()
    {
        var folder = Path.Combine(_folders.Root, "output", "episodes", "a");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "media.mp4"), [.. Enumerable.Range(0, 256).Select(i => (byte)i)]);
        File.WriteAllText(Path.Combine(folder, "chapters.json"), "{\"version\":\"1.2.0\",\"chapters\":[]}");
        File.WriteAllText(Path.Combine(_folders.Root, "data.json"), "outside");
        var options = Microsoft.Extensions.Options.Options.Create(new PipelineOptions { Root = _folders.Root });
        _functions = new SiteFunctions(new SiteApi(new SiteLayout(options)));
    }

    public void Dispose() => _folders.Dispose();

    private async Task<(HttpStatusCode Status, string? ContentType, string? ContentRange, byte[] Body)> GetAsync(string? path, string? range = null)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = "/site/" + path;
        if (range is not null)
        {
            context.Request.Headers.Range = range;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        await _functions.Site(context.Request, path).ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return ((HttpStatusCode)context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.ContentRange.FirstOrDefault(), body.ToArray());
    }

    [Fact]
    public async Task Site_RangeOfMedia_Returns206()
    {
        var response = await GetAsync("episodes/a/media.mp4", "bytes=16-31");

        Assert.Equal((HttpStatusCode.PartialContent, "video/mp4", "bytes 16-31/256"), (response.Status, response.ContentType, response.ContentRange));
        Assert.Equal(Enumerable.Range(16, 16).Select(i => (byte)i), response.Body);
    }

    [Fact]
    public async Task Site_ChaptersJson_HasThePodcastChaptersType() =>
        Assert.Equal(PodcastChaptersWriter.ContentType, (await GetAsync("episodes/a/chapters.json")).ContentType);

    [Theory]
    [InlineData("../data.json")]
    [InlineData("episodes/../../data.json")]
    [InlineData("episodes/a/missing.vtt")]
    public async Task Site_OutsideOrMissing_Returns404(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(path)).Status);
}
