using System.Net;
using EpisodePipeline.Functions.Functions;
using EpisodePipeline.Host;
using EpisodePipeline.Http;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// The Functions app's <c>dashboard/{file?}</c> function answers exactly as the standalone host does: the same
/// bytes, types and headers, from the files embedded in the workflow library.
/// </summary>
public sealed class DashboardFunctionsTests : IAsyncLifetime
{
    private readonly TestFolders _folders = new();
    private readonly DashboardFunctions _functions = new();
    private StandaloneHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync([.. TestFolders.AsArgs(_folders.Settings("models/unused.bin")), "--port", "0", "--api-key", "s3cret"]);
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
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

    /// <summary>What a browser sees of an answer, apart from its body.</summary>
    private sealed record Head(HttpStatusCode Status, string? ContentType, string? Location, string? ContentSecurityPolicy, string? ETag);

    private async Task<(Head Head, byte[] Body)> FunctionAsync(string path, string? file, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = path;
        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        await _functions.Dashboard(context.Request, file).ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        var headers = context.Response.Headers;
        return (new Head((HttpStatusCode)context.Response.StatusCode, context.Response.ContentType, headers.Location.FirstOrDefault(),
            headers.ContentSecurityPolicy.FirstOrDefault(), headers.ETag.FirstOrDefault()), body.ToArray());
    }

    private async Task<(Head Head, byte[] Body)> StandaloneAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (new Head(response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Headers.Location?.OriginalString,
            response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : null, response.Headers.ETag?.ToString()),
            await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/dashboard", null, "index.html", "text/html; charset=utf-8")]
    [InlineData("/dashboard/dashboard.js", "dashboard.js", "dashboard.js", "text/javascript; charset=utf-8")]
    [InlineData("/dashboard/dashboard.css", "dashboard.css", "dashboard.css", "text/css; charset=utf-8")]
    public async Task Dashboard_BothHostsServeTheSameEmbeddedBytesWithoutAKey(string path, string? file, string embedded, string contentType)
    {
        var standalone = await StandaloneAsync(path);
        var functions = await FunctionAsync(path, file);

        Assert.Equal((HttpStatusCode.OK, contentType), (standalone.Head.Status, standalone.Head.ContentType));
        Assert.Equal(DashboardApi.Files[embedded].ToArray(), standalone.Body);
        Assert.Equal(standalone.Head, functions.Head);
        Assert.Equal(standalone.Body, functions.Body);
        Assert.Equal(DashboardApi.ContentSecurityPolicy, functions.Head.ContentSecurityPolicy);
    }

    [Fact]
    public async Task Dashboard_UnchangedFile_Answers304ToItsETag()
    {
        var first = await FunctionAsync("/dashboard/dashboard.js", "dashboard.js");

        var again = await FunctionAsync("/dashboard/dashboard.js", "dashboard.js", first.Head.ETag);

        Assert.Equal((HttpStatusCode.NotModified, 0), (again.Head.Status, again.Body.Length));
    }

    [Fact]
    public async Task Dashboard_WithTrailingSlash_RedirectsToThePageSoItsRelativeLinksResolve()
    {
        var standalone = await StandaloneAsync("/dashboard/");

        Assert.Equal((HttpStatusCode.Redirect, "../dashboard"), (standalone.Head.Status, standalone.Head.Location));
        Assert.Equal(new Uri(_host.BaseAddress, "/dashboard"), new Uri(new Uri(_host.BaseAddress, "/dashboard/"), standalone.Head.Location));
        Assert.Equal(standalone.Head, (await FunctionAsync("/dashboard/", null)).Head);
    }

    [Theory]
    [InlineData("/dashboard/index.html", "index.html")]
    [InlineData("/dashboard/missing.js", "missing.js")]
    [InlineData("/dashboard/..%2Fhealth", "../health")]
    public async Task Dashboard_AnythingButItsFiles_Answers404(string path, string file)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await StandaloneAsync(path)).Head.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await FunctionAsync(path, file)).Head.Status);
    }
}
