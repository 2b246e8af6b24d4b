using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EpisodePipeline.Host;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>The standalone host, started once with a key, and its OpenAPI document as a client fetches it.</summary>
public sealed class DocumentedHost : IAsyncLifetime
{
    public const string Key = "document-test-key";
    private readonly TestFolders _folders = new();

    public StandaloneHost Host { get; private set; } = null!;

    /// <summary>A client without the key: the document and the reference need none.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public string DocumentText { get; private set; } = "";

    public JsonElement Document { get; private set; }

    public async Task InitializeAsync()
    {
        Host = await StandaloneHost.StartAsync([.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0", "--api-key", Key]);
        Anonymous = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = ApiClient.RequestTimeout };
        DocumentText = await Anonymous.GetStringAsync(new Uri("/" + ApiRoutes.OpenApiDocument, UriKind.Relative));
        Document = JsonSerializer.Deserialize<JsonElement>(DocumentText);
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        await Host.DisposeAsync();
        _folders.Dispose();
    }
}

/// <summary>
/// <c>/openapi/v1.json</c> describes exactly the routes both hosts serve (<see cref="ApiRoutes.All"/>, which
/// <see cref="FunctionsAppTests"/> compares with the Functions app), with the key, problem answers and examples that
/// apply to each; <c>/docs</c> shows it; and the Functions app's committed copy is what the host generates now.
/// </summary>
public sealed partial class ApiDocumentTests(DocumentedHost host) : IClassFixture<DocumentedHost>
{
    private const string UpdateDocs = "EPISODEPIPELINE_UPDATE_DOCS";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static string CommittedPath(string name) => Path.Combine(RepositoryRoot.Find(), "docs", "openapi", name);

    /// <summary><c>get /site/{path}</c>: lower-case method, leading slash, a catch-all or optional parameter written as a plain one, as the document does.</summary>
    private static string Operation(string method, string route) =>
        $"{method.ToLowerInvariant()} /{CatchAll().Replace(route.TrimStart('/'), "{$1}")}";

    private IEnumerable<(string Key, JsonElement Operation)> Operations() =>
        from path in host.Document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select ($"{operation.Name} {path.Name}", operation.Value);

    private static IEnumerable<ApiRoute> Documented => ApiRoutes.All.Where(r => r.Documented);

    private (string Key, bool Excluded, RouteEndpoint Endpoint)[] StandaloneEndpoints() =>
    [
        .. from endpoint in host.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
           from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
           select (Operation(method, endpoint.RoutePattern.RawText ?? ""), endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true, endpoint),
    ];

    private JsonElement OperationOf(ApiRoute route) => Operations().Single(o => o.Key == Operation(route.Method, route.Template)).Operation;

    [Fact]
    public void Document_DescribesEveryDocumentedRoute_AndNothingElse()
    {
        Assert.Equal(
            Documented.Select(r => Operation(r.Method, r.Template)).Order(StringComparer.Ordinal),
            Operations().Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("3.", host.Document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StandaloneEndpoints_AreTheRouteTable_TheDescribedOnesExactlyTheDocumentedRows()
    {
        var endpoints = StandaloneEndpoints();

        Assert.Equal(
            Documented.Select(r => Operation(r.Method, r.Template)).Order(StringComparer.Ordinal),
            endpoints.Where(e => !e.Excluded).Select(e => e.Key).Order(StringComparer.Ordinal));

        // The document and its reference page: each endpoint lies under a row the document leaves out, and each such row is served.
        var undocumented = ApiRoutes.All.Where(r => !r.Documented).ToList();
        var excluded = endpoints.Where(e => e.Excluded).Select(e => e.Key).ToList();
        Assert.All(excluded, key => Assert.Contains(undocumented, r => Covers(r, key)));
        Assert.All(undocumented, r => Assert.Contains(excluded, key => Covers(r, key)));
    }

    /// <summary>Whether a row's route serves <paramref name="operation"/>: the same, or under its catch-all.</summary>
    private static bool Covers(ApiRoute row, string operation)
    {
        var own = Operation(row.Method, row.Template);
        var catchAll = row.Template.EndsWith("{*path}", StringComparison.Ordinal) ? own[..^"{path}".Length] : null;
        return operation == own || (catchAll is not null && (operation.StartsWith(catchAll, StringComparison.Ordinal) || operation == catchAll.TrimEnd('/')));
    }

    [Fact]
    public void KeyedOperations_RequireTheKeyInHeaderOrQuery_AndAnswer401_OpenOnesDoNot()
    {
        var schemes = host.Document.GetProperty("components").GetProperty("securitySchemes");
        var inHeader = schemes.EnumerateObject().Single(s => s.Value.GetProperty("in").GetString() == "header");
        var inQuery = schemes.EnumerateObject().Single(s => s.Value.GetProperty("in").GetString() == "query");
        Assert.Equal((ApiRoutes.KeyHeader, ApiRoutes.Query.Code), (inHeader.Value.GetProperty("name").GetString(), inQuery.Value.GetProperty("name").GetString()));
        Assert.All(schemes.EnumerateObject(), s => Assert.Equal("apiKey", s.Value.GetProperty("type").GetString()));

        foreach (var route in Documented)
        {
            var operation = OperationOf(route);
            var requirements = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().Select(r => string.Join(",", r.EnumerateObject().Select(p => p.Name))).Order(StringComparer.Ordinal).ToArray()
                : [];
            var expected = route.RequiresKey ? new[] { inHeader.Name, inQuery.Name }.Order(StringComparer.Ordinal).ToArray() : [];
            Assert.True(expected.SequenceEqual(requirements), $"{route.Method} {route.Template}: security [{string.Join("; ", requirements)}]");
            Assert.Equal(route.RequiresKey, operation.GetProperty("responses").TryGetProperty("401", out _));
        }
    }

    [Fact]
    public void KeyedOperations_AreRateLimited_AndSay429WithRetryAfter()
    {
        foreach (var route in Documented)
        {
            var responses = OperationOf(route).GetProperty("responses");
            Assert.Equal(route.RequiresKey, responses.TryGetProperty("429", out var tooMany));
            if (route.RequiresKey)
            {
                Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _), $"{route.Method} {route.Template}");
                Assert.True(tooMany.GetProperty("content").TryGetProperty("application/problem+json", out _));
            }
        }
    }

    [Fact]
    public void OperationsOnAnId_Answer404Problem_AndEveryOperationHasATagAndAUniqueId()
    {
        foreach (var route in Documented)
        {
            var operation = OperationOf(route);
            Assert.Equal(route.Template.Contains("{id}", StringComparison.Ordinal), operation.GetProperty("responses").TryGetProperty("404", out var notFound) && notFound.TryGetProperty("content", out _));
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
        }

        var ids = Operations().Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void EveryOperation_HasItsMappingsSummaryAndDescription_NotTheHandlersDocComment()
    {
        // The package's XML-comment transformer puts each handler's doc comment (multi-line, escaped markup) in the
        // summary; the summary a caller reads is the one its mapping gives.
        foreach (var (key, _, endpoint) in StandaloneEndpoints().Where(e => !e.Excluded))
        {
            var operation = Operations().Single(o => o.Key == key).Operation;
            var summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary;
            Assert.False(string.IsNullOrEmpty(summary), $"{key} is mapped without a summary");
            Assert.Equal(summary, operation.GetProperty("summary").GetString());
            Assert.Equal(
                endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description,
                operation.TryGetProperty("description", out var description) ? description.GetString() : null);
        }
    }

    [Fact]
    public void QueryParameters_AreDescribed_WithTheTypesAndLimitsTheHandlersEnforce()
    {
        var parameters = Operations()
            .SelectMany(o => o.Operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().Select(p => (o.Key, Parameter: p)) : [])
            .Where(p => p.Parameter.GetProperty("in").GetString() == "query")
            .ToList();
        Assert.All(parameters, p => Assert.False(string.IsNullOrEmpty(p.Parameter.GetProperty("description").GetString()), $"{p.Key}: {p.Parameter}"));

        JsonElement Schema(string name) => parameters.Single(p => p.Parameter.GetProperty("name").GetString() == name).Parameter.GetProperty("schema");
        var limit = Schema(ApiRoutes.Query.Limit);
        Assert.Equal(("integer", 1, JobQueriesApi.MaxLimit, JobQueriesApi.DefaultLimit),
            (limit.GetProperty("type").GetString(), limit.GetProperty("minimum").GetInt32(), limit.GetProperty("maximum").GetInt32(), limit.GetProperty("default").GetInt32()));
        Assert.Equal(WireName.All<JobStatus>(), Schema(ApiRoutes.Query.Status).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));
        var before = parameters.Single(p => p.Parameter.GetProperty("name").GetString() == ApiRoutes.Query.Before).Parameter;
        Assert.True(before.GetProperty("required").GetBoolean());
    }

    [Fact]
    public void Submit_DocumentsItsBodyAndEveryRefusal()
    {
        var submit = OperationOf(ApiRoutes.All.Single(r => r.Template == ApiRoutes.Process));

        Assert.Equal(["202", "400", "401", "404", "409", "413", "415", "422", "429", "500"], submit.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(submit.GetProperty("responses").GetProperty("202").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.False(submit.GetProperty("requestBody").TryGetProperty("required", out var required) && required.GetBoolean());
    }

    [Fact]
    public async Task SubmitExamples_AreAcceptedBodies_AndJobExamplesAreJobs()
    {
        var body = OperationOf(ApiRoutes.All.Single(r => r.Template == ApiRoutes.Process)).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.NotEmpty(body.EnumerateObject());
        using var api = new ApiClient(host.Host.BaseAddress, DocumentedHost.Key);
        foreach (var example in body.EnumerateObject())
        {
            var json = example.Value.GetProperty("value");
            var episode = json.TryGetProperty("episode_id", out var id) ? id.GetString()! : "no-such-episode";
            using var response = await api.SubmitAsync(episode, json.GetRawText());

            // Past every check of the body, the unknown episode is what stops it.
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"example '{example.Name}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var strict = new JsonSerializerOptions { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
        var job = OperationOf(ApiRoutes.All.Single(r => r.Template == ApiRoutes.Job && r.Method == ApiRoutes.Get)).GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        var statuses = job.EnumerateObject().Select(e => e.Value.GetProperty("value").Deserialize<JobResponse>(strict)!.Status).ToList();
        Assert.Contains(JobStatus.Running, statuses);
        Assert.Contains(JobStatus.Completed, statuses);
    }

    [Fact]
    public void Document_HasNoServers_SoPathsResolveAgainstWhereItWasFetched() =>
        Assert.False(host.Document.TryGetProperty("servers", out var servers) && servers.GetArrayLength() > 0);

    [Fact]
    public async Task Docs_LoadsWithoutAKey_AndReadsTheDocument()
    {
        using var page = await host.Anonymous.GetAsync(new Uri("/" + ApiRoutes.Docs, UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"url\":\"" + ApiRoutes.OpenApiDocument + "\"", html, StringComparison.Ordinal);
        foreach (Match script in ScriptSource().Matches(html))
        {
            // Served by the host itself (the workstation may be offline): no CDN.
            using var asset = await host.Anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script.Groups[1].Value));
            Assert.Equal((HttpStatusCode.OK, "text/javascript"), (asset.StatusCode, asset.Content.Headers.ContentType?.MediaType));
        }

        Assert.NotEmpty(ScriptSource().Matches(html));
        using var keyed = await host.Anonymous.GetAsync(new Uri("/" + ApiRoutes.Stats, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, keyed.StatusCode);
    }

    /// <summary>
    /// The Functions app serves <c>docs/openapi/</c> (embedded at build time). With <c>EPISODEPIPELINE_UPDATE_DOCS=1</c>
    /// this test writes what the host generates now into that folder instead of comparing (then rebuild).
    /// </summary>
    [Fact]
    public async Task CommittedCopy_IsWhatTheHostGenerates()
    {
        using var page = await host.Anonymous.GetAsync(new Uri("/" + ApiRoutes.Docs + "/", UriKind.Relative));
        var generated = new Dictionary<string, string>
        {
            ["v1.json"] = host.DocumentText,
            ["reference.html"] = await page.Content.ReadAsStringAsync(),
        };

        foreach (var (name, text) in generated)
        {
            var expected = text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
            if (Environment.GetEnvironmentVariable(UpdateDocs) == "1")
            {
                await File.WriteAllTextAsync(CommittedPath(name), expected);
            }

            var committed = await File.ReadAllTextAsync(CommittedPath(name));
            Assert.True(
                committed.ReplaceLineEndings("\n") == expected,
                $"docs/openapi/{name} is not what the standalone host generates. Regenerate it with: {UpdateDocs}=1 dotnet test tests/EpisodePipeline.Tests -c Release --filter FullyQualifiedName~ApiDocumentTests");
        }
    }

    [GeneratedRegex(@"\{\**([^}?]+)\??\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
