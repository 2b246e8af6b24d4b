using EpisodePipeline.Services.Rendering;
using Microsoft.AspNetCore.Http;

namespace EpisodePipeline.Http;

/// <summary>
/// Serves the output folder (the rendered static site) under <see cref="SiteLayout.RoutePrefix"/> for both hosts:
/// only files of the types a site holds (<see cref="SiteContentTypes"/>), with their content types, HTTP range
/// requests (a player seeks in the media), <c>Last-Modified</c> and an ETag. Paths that leave the folder, hidden
/// names and temporary files answer 404. A folder redirects to its form with a trailing slash, then serves its
/// <c>index.html</c>, so the pages' relative links resolve. Public, like any published site: no key.
/// </summary>
public sealed class SiteApi(SiteLayout site)
{
    /// <summary>The route both hosts map (Functions writes the catch-all as <c>{*path}</c>).</summary>
    /// <summary><see cref="ApiRoutes.Site"/> in ASP.NET Core's form: <c>{**path}</c> keeps the slashes of the path unescaped.</summary>
    public const string Route = "site/{**path}";

    /// <param name="path">The part of the URL after <c>/site/</c>, decoded; null or empty for the site's root.</param>
    /// <param name="requestPath">The request's path, to redirect <c>/site/episodes/x</c> to <c>/site/episodes/x/</c>.</param>
    public IResult Serve(string? path, string requestPath)
    {
        var full = Resolve(path ?? "");
        if (full is null)
        {
            return Results.NotFound();
        }

        if (Directory.Exists(full))
        {
            if (!requestPath.EndsWith('/'))
            {
                return Results.Redirect(requestPath + "/");
            }

            full = Path.Combine(full, SiteLayout.Page);
        }

        var contentType = SiteContentTypes.For(full);
        if (contentType is null || !File.Exists(full))
        {
            return Results.NotFound();
        }

        var info = new FileInfo(full);
        var tag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.LastWriteTimeUtc.Ticks:x}-{info.Length:x}\"");
        return Results.File(full, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag, enableRangeProcessing: true);
    }

    /// <summary>The full path of <paramref name="path"/> inside the output folder, or null when it would leave it or names something hidden.</summary>
    internal string? Resolve(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s.StartsWith('.') || s.IndexOfAny(['\\', ':', '\0']) >= 0))
        {
            return null;
        }

        var root = Path.GetFullPath(site.OutputFolder);
        var full = Path.GetFullPath(Path.Combine([root, .. segments]));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return full == root || full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }
}
