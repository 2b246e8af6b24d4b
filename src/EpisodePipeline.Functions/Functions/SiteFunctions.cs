using EpisodePipeline.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EpisodePipeline.Functions.Functions;

/// <summary>The rendered site (the output folder) under <c>/site/</c>, as the standalone host serves it: public, with range requests.</summary>
public sealed class SiteFunctions(SiteApi site)
{
    [Function(nameof(Site))]
    public IActionResult Site(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ApiRoutes.Site)] HttpRequest request,
        string? path) =>
        new HttpResultAction(site.Serve(path, request.Path.Value ?? ""));
}
