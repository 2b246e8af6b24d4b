using EpisodePipeline.Http;

namespace EpisodePipeline.Host.Api;

/// <summary>The rendered site under <c>/site/</c>: the shared <see cref="SiteApi"/>, public like any published page.</summary>
internal static class SiteEndpoints
{
    // The catch-all is optional, so this one route also answers /site (redirected to /site/).
    public static void MapSite(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + SiteApi.Route, [HttpMethods.Get, HttpMethods.Head], (string? path, HttpRequest request, SiteApi site) => site.Serve(path, request.Path.Value ?? ""))
            .WithName("Site")
            .WithSummary("A file of the published site")
            .WithDescription("The rendered pages, captions, chapters, feed and media under the output folder, with their content types, range requests (`206`), `ETag` and `Last-Modified`. A folder redirects to its `/` form and serves its `index.html`; anything else answers `404`. HEAD answers the same without the body.")
            .Produces<Stream>(StatusCodes.Status200OK, "text/html", "text/vtt", "application/json", "application/rss+xml", "video/mp4", "audio/mpeg")
            .Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status404NotFound);
    }
}
