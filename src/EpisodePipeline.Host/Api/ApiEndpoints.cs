using EpisodePipeline.Host.Options;
using EpisodePipeline.Http;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Api;

/// <summary>The standalone host's endpoints: the route table (<see cref="ApiRoutes"/>) mapped to the shared handlers, as the Functions app maps it.</summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapEpisodePipelineApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Health, HealthApi.Get);

        var keyed = app.MapGroup("").AddEndpointFilter<FunctionKeyFilter>();
        keyed.MapPost(ApiRoutes.Discover, EpisodesApi.DiscoverAsync);
        keyed.MapGet(ApiRoutes.Episodes, EpisodesApi.ListAsync);
        keyed.MapGet(ApiRoutes.Episode, EpisodesApi.GetAsync);
        keyed.MapPost(ApiRoutes.Process, JobsApi.SubmitAsync);
        keyed.MapGet(ApiRoutes.Job, JobQueriesApi.GetAsync);
        keyed.MapGet(ApiRoutes.Jobs, JobQueriesApi.ListAsync);
        keyed.MapGet(ApiRoutes.Stats, JobQueriesApi.StatsAsync);
        keyed.MapPost(ApiRoutes.Batches, BatchesApi.StartAsync);
        return app;
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
            var given = request.Headers[ApiRoutes.KeyHeader].FirstOrDefault() ?? request.Query[ApiRoutes.Query.Code].FirstOrDefault();
            if (given is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected)))
            {
                return next(context);
            }

            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or wrong key.",
                detail: $"Send the host's key in the {ApiRoutes.KeyHeader} header or the {ApiRoutes.Query.Code} query parameter."));
        }
    }
}
