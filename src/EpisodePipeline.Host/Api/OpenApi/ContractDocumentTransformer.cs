using EpisodePipeline.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EpisodePipeline.Host.Api.OpenApi;

/// <summary>The document as a whole: title and description, no servers, the key's two security schemes, tag descriptions.</summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string Title = "EpisodePipeline API";

    /// <summary>The key in the <c>x-functions-key</c> header.</summary>
    public const string KeyHeaderScheme = "functionKeyHeader";

    /// <summary>The key in the <c>code</c> query parameter.</summary>
    public const string KeyQueryScheme = "functionKeyQuery";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Liveness, open to everyone.",
        ["Episodes"] = "The catalog of media found in the input folders.",
        ["Jobs"] = "Durable jobs: start, poll, list, count. Poll a job's `status_url` until `status` is `completed`, `failed` or `cancelled`.",
        ["Site"] = "The published pages, open to everyone.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = Title,
            Version = "1",
            Description = "Turns video and podcast episodes into transcripts, enrichments and published pages, as durable jobs. " +
                "The Azure Functions app and the standalone host serve this same contract. Errors are RFC 7807 problem details " +
                "whose `detail` says what to do next.",
        };

        // Both hosts serve this one document, and no link is ever built from a request's Host header: without servers a
        // client resolves every path against the address it fetched the document from.
        document.Servers = [];

        EnsureKeySchemes(document);
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Adds the key's schemes to the document's components once; operations refer to them.</summary>
    public static void EnsureKeySchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes.TryAdd(KeyHeaderScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiRoutes.KeyHeader,
            Description = "The host's key (the Functions app's function or host key; the standalone host's `--api-key`). " +
                "Every route but `/health`, `/site/`, `/docs` and this document needs it; on loopback the standalone host needs it only when started with one.",
        });
        document.Components.SecuritySchemes.TryAdd(KeyQueryScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = ApiRoutes.Query.Code,
            Description = $"The same key as the `{ApiRoutes.KeyHeader}` header, in the query string (`?{ApiRoutes.Query.Code}=...`).",
        });
    }
}
