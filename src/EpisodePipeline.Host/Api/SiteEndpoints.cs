using EpisodePipeline.Http;

namespace EpisodePipeline.Host.Api;

/// <summary>The rendered site under <c>/site/</c>: the shared <see cref="SiteApi"/>, public like any published page.</summary>
internal static class SiteEndpoints
{
    // The catch-all is optional, so this one route also answers /site (redirected to /site/).
    public static void MapSite(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + SiteApi.Route, ["GET", "HEAD"], (string? path, HttpRequest request, SiteApi site) => site.Serve(path, request.Path.Value ?? ""));
    }
}
