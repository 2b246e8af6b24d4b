using System.Text.Json;
using System.Text.Json.Nodes;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace EpisodePipeline.Host.Api.OpenApi;

/// <summary>
/// Each operation, from its endpoint's metadata and route: the key requirement (<see cref="FunctionKeyMetadata"/>),
/// what the usual problem answers mean, the headers of 202 and 429 answers, the query and path parameters, and
/// examples of request and response bodies by type (<see cref="ContractExamples"/>).
/// </summary>
internal sealed class ContractOperationTransformer(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IOpenApiOperationTransformer
{
    // A request example shows only the fields it sets: every field of a request body is optional.
    private readonly JsonSerializerOptions _requestJson = new(json.Value.SerializerOptions) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static readonly Dictionary<int, string> ProblemDescriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is invalid: `errors` names each field or query parameter and what is wrong with it.",
        [StatusCodes.Status401Unauthorized] = $"Missing or wrong key: send it in the `{ApiRoutes.KeyHeader}` header or the `{ApiRoutes.Query.Code}` query parameter.",
    };

    private static readonly Dictionary<string, string> QueryDescriptions = new(StringComparer.Ordinal)
    {
        [ApiRoutes.Query.Limit] = $"How many jobs, newest first: 1–{JobQueriesApi.MaxLimit} (default {JobQueriesApi.DefaultLimit}).",
        [ApiRoutes.Query.Status] = $"Only jobs with this status: {string.Join(", ", WireName.All<JobStatus>())}.",
        [ApiRoutes.Query.EpisodeId] = "Only the jobs of this episode.",
        [ApiRoutes.Query.Before] = "Required. An ISO 8601 date (`2026-01-01`, midnight UTC) or date and time, UTC unless it names an offset (`+` written `%2B`): finished jobs created before it are purged.",
        [ApiRoutes.Query.Cursor] = "Where the page starts: copy it from the previous page's `Link` header (opaque; anything else is a 400).",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;

        // The XML-comment transformer writes each handler's doc comment (written for contributors, with escaped markup)
        // over the summary and description its mapping gives (written for callers); the mapping's stand.
        if (metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault() is { } summary)
        {
            operation.Summary = summary.Summary;
        }

        if (metadata.OfType<IEndpointDescriptionMetadata>().LastOrDefault() is { } described)
        {
            operation.Description = described.Description;
        }

        // One endpoint serving GET and HEAD gives two operations; operation ids must stay unique.
        if (description.HttpMethod == HttpMethods.Head && operation.OperationId is { } id)
        {
            operation.OperationId = id + "Head";
        }

        if (metadata.OfType<FunctionKeyMetadata>().Any() && context.Document is { } document)
        {
            ContractDocumentTransformer.EnsureKeySchemes(document);
            // Either scheme will do: two requirements, each naming one.
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ContractDocumentTransformer.KeyHeaderScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ContractDocumentTransformer.KeyQueryScheme, document)] = [] },
            ];
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse answer || !int.TryParse(status, out var code))
            {
                continue;
            }

            // What the endpoint's metadata says an answer means (ApiExplorer keeps only the reason phrase), else the usual meaning.
            var meaning = metadata.OfType<IProducesResponseTypeMetadata>().LastOrDefault(m => m.StatusCode == code && m.Description is not null)?.Description
                ?? ProblemDescriptions.GetValueOrDefault(code);
            if (meaning is not null && answer.Description == ReasonPhrases.GetReasonPhrase(code))
            {
                answer.Description = meaning;
            }

            if (code == StatusCodes.Status429TooManyRequests)
            {
                AddHeader(answer, "Retry-After", "Seconds to wait before trying again.");
            }

            if (code == StatusCodes.Status202Accepted && metadata.OfType<JobLinkHeadersMetadata>().Any())
            {
                AddHeader(answer, "Location", "The job's status URL (the body's `status_url`).", JsonSchemaType.String);
                AddHeader(answer, "Retry-After", $"Seconds to wait before the first poll ({JobsApi.RetryAfterSeconds}).");
            }

            if (code == StatusCodes.Status200OK && operation.Parameters?.Any(p => p.Name == ApiRoutes.Query.Cursor) == true)
            {
                AddHeader(answer, "Link", "When more jobs match: `<URL of the next page>; rel=\"next\"` (RFC 8288); absent on the last page. The URL keeps the filters, never the key: send the key with it as with any request.", JsonSchemaType.String);
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            // The handlers read these as text to answer bad values with their own 400; the document gives their real type.
            switch (parameter)
            {
                case { In: ParameterLocation.Query, Name: ApiRoutes.Query.Limit }:
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Minimum = "1",
                        Maximum = JobQueriesApi.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Default = JobQueriesApi.DefaultLimit,
                    };
                    break;
                case { In: ParameterLocation.Query, Name: ApiRoutes.Query.Status }:
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. WireName.All<JobStatus>().Select(w => (JsonNode)w)] };
                    break;
                case { In: ParameterLocation.Query, Name: ApiRoutes.Query.Before }:
                    parameter.Required = true;
                    break;
            }

            parameter.Description ??= parameter switch
            {
                { In: ParameterLocation.Query, Name: { } name } when QueryDescriptions.TryGetValue(name, out var text) => text,
                { In: ParameterLocation.Path, Name: "id" } => description.RelativePath?.Contains("jobs/", StringComparison.Ordinal) == true
                    ? "The job's id: a GUID, in any case or with braces."
                    : "The episode's id, as discovery lists it.",
                { In: ParameterLocation.Path, Name: "path" } => "The file under the output folder; empty for the site's index.",
                _ => null,
            };
        }

        if (metadata.OfType<JsonBodyMetadata>().LastOrDefault() is { } body && context.Document is { } bodyDocument)
        {
            await DescribeBodyAsync(operation, body.Type, bodyDocument, context, cancellationToken);
        }

        AddResponseExamples(operation, description);
    }

    /// <summary>An optional <c>application/json</c> body of <paramref name="type"/>, its schema a component like every other.</summary>
    private async Task DescribeBodyAsync(OpenApiOperation operation, Type type, OpenApiDocument document, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        var media = new OpenApiMediaType { Schema = new OpenApiSchemaReference(type.Name, document) };
        AddExamples(new Dictionary<string, OpenApiMediaType> { ["application/json"] = media }, type, _requestJson);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = false,
            Description = "Optional: an empty body (no `Content-Type` needed) means every default.",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = media },
        };
    }

    private void AddResponseExamples(OpenApiOperation operation, Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        foreach (var response in description.SupportedResponseTypes)
        {
            if (response.Type is { } type
                && operation.Responses?.GetValueOrDefault(response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)) is OpenApiResponse { Content: { } content })
            {
                AddExamples(content, type, json.Value.SerializerOptions);
            }
        }
    }

    private static void AddExamples(IDictionary<string, OpenApiMediaType> content, Type type, JsonSerializerOptions options)
    {
        var examples = ContractExamples.For(type);
        if (examples.Count == 0)
        {
            return;
        }

        foreach (var media in content.Values)
        {
            media.Examples = examples.ToDictionary(
                e => e.Name,
                e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = JsonSerializer.SerializeToNode(e.Value, type, options) },
                StringComparer.Ordinal);
        }
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, JsonSchemaType type = JsonSchemaType.Integer)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
    }
}
