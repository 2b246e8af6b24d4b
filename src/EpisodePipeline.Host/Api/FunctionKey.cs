using System.Security.Cryptography;
using System.Text;
using EpisodePipeline.Host.Options;
using EpisodePipeline.Http;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Api;

/// <summary>
/// The key as Functions accepts it for <c>AuthorizationLevel.Function</c>: the <c>x-functions-key</c> header or the
/// <c>code</c> query parameter. The endpoints that need it carry <see cref="FunctionKeyMetadata"/>, which the
/// OpenAPI document reads for its security requirements.
/// </summary>
internal static class FunctionKey
{
    /// <summary>Checks the key on every endpoint of <paramref name="group"/> and marks them as needing it.</summary>
    public static RouteGroupBuilder RequireFunctionKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<FunctionKeyFilter>();
        group.WithMetadata(FunctionKeyMetadata.Instance);
        group.ProducesProblem(StatusCodes.Status401Unauthorized);
        return group;
    }

    /// <summary>The key the request carries (header first), or null.</summary>
    public static string? Given(HttpRequest request) =>
        request.Headers[ApiRoutes.KeyHeader].FirstOrDefault() ?? request.Query[ApiRoutes.Query.Code].FirstOrDefault();

    /// <summary>Whether <paramref name="given"/> is the configured key, compared in constant time; false when none is configured.</summary>
    public static bool IsValid(string? given, string? expected) =>
        !string.IsNullOrEmpty(expected) && given is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private sealed class FunctionKeyFilter(IOptions<StandaloneHostOptions> options) : IEndpointFilter
    {
        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var expected = options.Value.ApiKey;
            if (string.IsNullOrEmpty(expected) || IsValid(Given(context.HttpContext.Request), expected))
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

/// <summary>Marks an endpoint that needs the key (<see cref="FunctionKey"/>).</summary>
internal sealed class FunctionKeyMetadata
{
    public static readonly FunctionKeyMetadata Instance = new();

    private FunctionKeyMetadata()
    {
    }
}
