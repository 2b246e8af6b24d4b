using EpisodePipeline.Host.Options;
using EpisodePipeline.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Api;

/// <summary>The standalone host's routes: the same paths, methods and handlers as the Functions app.</summary>
internal static class ApiEndpoints
{
    public static void MapEpisodePipelineApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (PipelineApi api) => api.Health());

        var keyed = app.MapGroup("").AddEndpointFilter<FunctionKeyFilter>();
        keyed.MapPost("/episodes/discover", (PipelineApi api, CancellationToken ct) => api.DiscoverAsync(ct));
        keyed.MapGet("/episodes", (PipelineApi api, CancellationToken ct) => api.ListEpisodesAsync(ct));
        keyed.MapGet("/episodes/{id}", (string id, PipelineApi api, CancellationToken ct) => api.GetEpisodeAsync(id, ct));
        keyed.MapPost("/async/episodes/{id}/process", (string id, HttpRequest request, PipelineApi api, DurableTaskClient client, CancellationToken ct) =>
            api.SubmitAsync(id, request, client, ct));
        keyed.MapGet("/async/jobs/{id}", (string id, PipelineApi api, DurableTaskClient client, CancellationToken ct) => api.GetJobAsync(id, client, ct));
        keyed.MapGet("/async/jobs", (HttpRequest request, PipelineApi api, DurableTaskClient client, CancellationToken ct) =>
            api.ListJobsAsync(request.Query["limit"].FirstOrDefault(), request.Query["status"].FirstOrDefault(), request.Query["episode_id"].FirstOrDefault(), client, ct));
        keyed.MapGet("/async/stats", (PipelineApi api, DurableTaskClient client, CancellationToken ct) => api.StatsAsync(client, ct));
    }

    /// <summary>Checks the key the way Functions does for <c>AuthorizationLevel.Function</c>: header or query.</summary>
    private sealed class FunctionKeyFilter(IOptions<StandaloneHostOptions> options) : IEndpointFilter
    {
        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var expected = options.Value.ApiKey;
            if (string.IsNullOrEmpty(expected))
            {
                return next(context);
            }

            var request = context.HttpContext.Request;
            var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
            if (given is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected)))
            {
                return next(context);
            }

            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or wrong key.",
                detail: "Send the host's key in the x-functions-key header or the code query parameter."));
        }
    }
}
