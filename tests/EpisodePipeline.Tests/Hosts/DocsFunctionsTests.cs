using System.Net;
using System.Text;
using EpisodePipeline.Functions.Functions;
using EpisodePipeline.TestKit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// The Functions app's <c>openapi/v1.json</c> and <c>docs/{*path}</c> serve the committed document and page (which
/// <see cref="ApiDocumentTests"/> keeps equal to what the standalone host generates) and Scalar's scripts, offline.
/// </summary>
public sealed class DocsFunctionsTests
{
    private readonly DocsFunctions _functions = new();

    private static async Task<(HttpStatusCode Status, string? ContentType, string? Location, byte[] Body)> RunAsync(string path, Func<HttpRequest, IActionResult> function)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = path;
        using var body = new MemoryStream();
        context.Response.Body = body;
        await function(context.Request).ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return ((HttpStatusCode)context.Response.StatusCode, context.Response.ContentType?.Split(';')[0], context.Response.Headers.Location.FirstOrDefault(), body.ToArray());
    }

    private static string Committed(string name) => File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "openapi", name));

    [Fact]
    public async Task OpenApiDocument_IsTheCommittedDocument()
    {
        var answer = await RunAsync("/openapi/v1.json", _functions.OpenApiDocument);

        Assert.Equal((HttpStatusCode.OK, "application/json"), (answer.Status, answer.ContentType));
        Assert.Equal(Committed("v1.json"), Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public async Task ApiReference_ServesTheCommittedPageAndScalarsScripts()
    {
        var page = await RunAsync("/docs/", r => _functions.ApiReference(r, ""));
        Assert.Equal((HttpStatusCode.OK, "text/html"), (page.Status, page.ContentType));
        Assert.Equal(Committed("reference.html"), Encoding.UTF8.GetString(page.Body));

        foreach (var script in new[] { "scalar.js", "scalar.aspnetcore.js" })
        {
            var asset = await RunAsync("/docs/" + script, r => _functions.ApiReference(r, script));
            Assert.Equal((HttpStatusCode.OK, "text/javascript"), (asset.Status, asset.ContentType));
            Assert.Contains(script, Encoding.UTF8.GetString(page.Body), StringComparison.Ordinal);
            Assert.NotEmpty(asset.Body);
        }
    }

    [Fact]
    public async Task ApiReference_WithoutTrailingSlash_Redirects_AndUnknownFilesAre404()
    {
        var bare = await RunAsync("/docs", r => _functions.ApiReference(r, null));
        Assert.Equal((HttpStatusCode.Redirect, "/docs/"), (bare.Status, bare.Location));

        Assert.Equal(HttpStatusCode.NotFound, (await RunAsync("/docs/other.js", r => _functions.ApiReference(r, "other.js"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RunAsync("/docs/../v1.json", r => _functions.ApiReference(r, "../v1.json"))).Status);
    }
}
