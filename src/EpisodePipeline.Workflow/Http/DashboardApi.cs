using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace EpisodePipeline.Http;

/// <summary>
/// The dashboard (<c>GET /dashboard</c>): one page with its script and style, plain files embedded in this
/// assembly (<c>Http/Dashboard/</c>), so both hosts serve the same bytes and nothing is fetched from elsewhere.
/// The page itself needs no key; its script calls the keyed API and asks for the key when the API answers 401.
/// <c>/dashboard</c> is the page, <c>/dashboard/dashboard.js</c> and <c>/dashboard/dashboard.css</c> its files,
/// <c>/dashboard/</c> redirects to <c>/dashboard</c> (the page's links are relative to it); anything else is 404.
/// </summary>
public static class DashboardApi
{
    /// <summary>Only the page's own files, and the API on the same origin; no inline script, no frames.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Page = "index.html";

    private static readonly FrozenDictionary<string, Asset> Assets = new Dictionary<string, Asset>(StringComparer.Ordinal)
    {
        [Page] = Asset.Load(Page, "text/html; charset=utf-8"),
        ["dashboard.js"] = Asset.Load("dashboard.js", "text/javascript; charset=utf-8"),
        ["dashboard.css"] = Asset.Load("dashboard.css", "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The embedded files by name (<c>index.html</c> is the page): what both hosts answer with.</summary>
    public static IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Files { get; } =
        Assets.ToFrozenDictionary(a => a.Key, a => a.Value.Bytes, StringComparer.Ordinal);

    /// <param name="file">The route's <c>{file?}</c>: null or empty for the page, else one of its files.</param>
    /// <param name="requestPath">The request's path, to send <c>/dashboard/</c> to <c>/dashboard</c>.</param>
    public static IResult Serve(string? file, string requestPath)
    {
        if (string.IsNullOrEmpty(file))
        {
            // Relative, so it holds under any route prefix and never names another host.
            return requestPath.EndsWith('/') ? Results.Redirect("../dashboard") : new AssetResult(Assets[Page]);
        }

        return file != Page && Assets.TryGetValue(file, out var asset) ? new AssetResult(asset) : Results.NotFound();
    }

    private sealed record Asset(ReadOnlyMemory<byte> Bytes, string ContentType, EntityTagHeaderValue Tag)
    {
        public static Asset Load(string name, string contentType)
        {
            using var stream = typeof(DashboardApi).Assembly.GetManifestResourceStream("EpisodePipeline.Dashboard." + name)
                ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded in {typeof(DashboardApi).Assembly.GetName().Name}.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            return new Asset(bytes, contentType, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8))}\""));
        }
    }

    /// <summary>The file with its ETag (a 304 for a matching <c>If-None-Match</c>), revalidated on every load, under the page's policy.</summary>
    private sealed class AssetResult(Asset asset) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(asset.Bytes, asset.ContentType, entityTag: asset.Tag).ExecuteAsync(httpContext);
        }
    }
}
