using EpisodePipeline.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace EpisodePipeline.Host.Api;

/// <summary>
/// What every endpoint of the contract gets from its route and method, so a new endpoint gets it by being mapped in
/// the right group: its OpenAPI tag, a 404 problem when the route names an <c>{id}</c>, and (keyed endpoints) a rate
/// limit policy by method with its 429 answer. The OpenAPI document reads all of it from the endpoint metadata.
/// </summary>
internal static class ApiConventions
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>Tags by route, and a 404 problem on routes with an <c>{id}</c>.</summary>
    public static RouteGroupBuilder WithContractConventions(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern: var pattern })
            {
                return;
            }

            endpoint.Metadata.Add(new TagsAttribute(TagOf(pattern.RawText ?? "")));
            if (pattern.GetParameter("id") is not null)
            {
                endpoint.Metadata.Add(Problem(StatusCodes.Status404NotFound, "No episode or job has this id; the `detail` says where to look."));
            }
        });
        return group;
    }

    /// <summary>
    /// Reads (GET) fall under <see cref="ApiRateLimits.Polling"/>; everything else starts or changes work (submits,
    /// retries, batch starts, discovery, cancels, purges) and falls under <see cref="ApiRateLimits.Submits"/>.
    /// </summary>
    public static RouteGroupBuilder WithRateLimitsByMethod(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            var policy = methods.Count > 0 && methods.All(HttpMethods.IsGet) ? ApiRateLimits.Polling : ApiRateLimits.Submits;
            endpoint.Metadata.Add(new EnableRateLimitingAttribute(policy));
            endpoint.Metadata.Add(Problem(StatusCodes.Status429TooManyRequests, "Too many requests from this client; try again after `Retry-After` seconds."));
        });
        return group;
    }

    /// <summary>A problem answer this endpoint gives, with when it does.</summary>
    public static RouteHandlerBuilder ProducesProblemWhen(this RouteHandlerBuilder endpoint, int statusCode, string description) =>
        endpoint.WithMetadata(Problem(statusCode, description));

    /// <summary>
    /// The optional JSON body the handler reads itself (<c>JsonBody</c>), for the document only, with the two refusals
    /// <c>JsonBody</c> makes (413, 415). Not <c>Accepts&lt;T&gt;</c>: its metadata also makes routing refuse other content
    /// types with a bare 415, before the handler's own problem.
    /// </summary>
    public static RouteHandlerBuilder DescribesJsonBody<TBody>(this RouteHandlerBuilder endpoint) => endpoint
        .WithMetadata(new JsonBodyMetadata(typeof(TBody)))
        .ProducesProblemWhen(StatusCodes.Status413PayloadTooLarge, $"The body is over {JobsApi.MaxBodyBytes / 1024} KiB.")
        .ProducesProblemWhen(StatusCodes.Status415UnsupportedMediaType, "The body is not JSON by its `Content-Type` (`application/json` or any `+json` type).");

    /// <summary>A 202 whose <c>Location</c> is the job to poll and whose <c>Retry-After</c> says when to poll first.</summary>
    public static RouteHandlerBuilder AcceptedWithJobLink(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(JobLinkHeadersMetadata.Instance);

    /// <summary>The feature a route belongs to: everything under <c>async/</c> is the job API, else the first segment.</summary>
    internal static string TagOf(string route)
    {
        var path = route.TrimStart('/');
        if (path.StartsWith("async/", StringComparison.Ordinal))
        {
            return "Jobs";
        }

        var first = path.Split('/')[0];
        return first.Length == 0 ? "Other" : char.ToUpperInvariant(first[0]) + first[1..];
    }

    private static ProducesResponseTypeMetadata Problem(int statusCode, string description) =>
        new(statusCode, typeof(ProblemDetails), [ProblemContentType]) { Description = description };
}

/// <summary>The type of an optional JSON body a handler reads itself (<see cref="ApiConventions.DescribesJsonBody"/>).</summary>
internal sealed record JsonBodyMetadata(Type Type);

/// <summary>Marks a 202 that carries <c>Location</c> and <c>Retry-After</c> (<see cref="ApiConventions.AcceptedWithJobLink"/>).</summary>
internal sealed class JobLinkHeadersMetadata
{
    public static readonly JobLinkHeadersMetadata Instance = new();

    private JobLinkHeadersMetadata()
    {
    }
}
