using System.Text.Json.Serialization;
using EpisodePipeline.Http;
using Scalar.AspNetCore;

namespace EpisodePipeline.Host.Api.OpenApi;

/// <summary>
/// The contract's OpenAPI 3 document (<c>/openapi/v1.json</c>, Microsoft.AspNetCore.OpenApi) and its interactive
/// reference (<c>/docs</c>, Scalar, its script served from the package: nothing is loaded from a CDN). Both are open.
/// The Functions app serves a committed copy of both (<c>docs/openapi/</c>); a test keeps the copy equal to this.
/// </summary>
internal static class ApiReference
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        // The schemas come from these options. Request bodies are read by JsonBody, numbers only as numbers; the web
        // defaults would also read them from strings and describe every number as "number or string".
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer<ContractDocumentTransformer>();
            options.AddOperationTransformer<ContractOperationTransformer>();
        });
    }

    public static void MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/" + ApiRoutes.OpenApiDocument);
        app.MapScalarApiReference("/" + ApiRoutes.Docs, scalar => scalar
            .WithTitle(ContractDocumentTransformer.Title)
            .WithOpenApiRoutePattern("/" + ApiRoutes.OpenApiDocument)
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl)
            .AddPreferredSecuritySchemes(ContractDocumentTransformer.KeyHeaderScheme)
            // Offline workstation: no web fonts, telemetry or AI agent from Scalar's servers.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());
    }
}
