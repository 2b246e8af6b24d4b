using EpisodePipeline.Http;

namespace EpisodePipeline.Host.Api;

/// <summary>The dashboard under <c>/dashboard</c>: the shared <see cref="DashboardApi"/>, open like <c>/health</c> (its script asks for the key).</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Dashboard, (string? file, HttpRequest request) => DashboardApi.Serve(file, request.Path.Value ?? ""));
    }
}
