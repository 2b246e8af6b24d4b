using EpisodePipeline.Http;

namespace EpisodePipeline.Host.Api;

/// <summary>The dashboard under <c>/dashboard</c>: the shared <see cref="DashboardApi"/>, open like <c>/health</c> (its script asks for the key).</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Dashboard, (string? file, HttpRequest request) => DashboardApi.Serve(file, request.Path.Value ?? ""))
            .WithName("Dashboard")
            .WithSummary("The dashboard page, its script or its style")
            .WithDescription("One page that shows the queue and recent jobs and refreshes itself. Never needs a key: the page asks for it when the API answers 401 and keeps it in the browser's session storage. `/dashboard/` redirects to `/dashboard`; other file names answer 404.")
            .Produces<Stream>(StatusCodes.Status200OK, "text/html", "text/javascript", "text/css")
            .Produces(StatusCodes.Status304NotModified)
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status404NotFound);
    }
}
