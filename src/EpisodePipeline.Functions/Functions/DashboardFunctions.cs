using EpisodePipeline.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EpisodePipeline.Functions.Functions;

/// <summary>The dashboard under <c>/dashboard</c>, the same bytes the standalone host serves; no key (its script asks for one).</summary>
public sealed class DashboardFunctions
{
    [Function(nameof(Dashboard))]
    public IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, ApiRoutes.Get, Route = ApiRoutes.Dashboard)] HttpRequest request,
        string? file) =>
        new HttpResultAction(DashboardApi.Serve(file, request.Path.Value ?? ""));
}
