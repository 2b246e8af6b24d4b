namespace EpisodePipeline.Http;

/// <summary>
/// The route table, written once: the Functions attributes, the standalone host's endpoints and every URL a
/// handler builds use these constants. Routes have no leading slash, as Functions wants them; ASP.NET Core
/// maps the same strings from the root. Neither host adds a prefix (<c>host.json</c> sets <c>routePrefix: ""</c>).
/// </summary>
public static class ApiRoutes
{
    public const string Get = "get";
    public const string Post = "post";
    public const string Delete = "delete";
    public const string Head = "head";

    public const string Health = "health";
    public const string Discover = "episodes/discover";
    public const string Episodes = "episodes";
    public const string Episode = "episodes/{id}";
    public const string Process = "async/episodes/{id}/process";
    public const string Jobs = "async/jobs";
    public const string Job = "async/jobs/{id}";

    /// <summary>POST: a new job for a failed or cancelled one, reusing every stage already done.</summary>
    public const string JobRetry = "async/jobs/{id}/retry";
    public const string Stats = "async/stats";

    /// <summary>Starts a NightlyBatch job by hand (<c>POST</c>).</summary>
    public const string Batches = "async/batches";

    /// <summary>The rendered site (GET and HEAD, no key: published pages); <c>{*path}</c> is the file under the output folder.</summary>
    public const string Site = "site/{*path}";

    /// <summary>The dashboard (GET, no key: the page asks for the key its API calls need); <c>{file?}</c> empty for the page, else its script or style.</summary>
    public const string Dashboard = "dashboard/{file?}";
    /// <summary>The OpenAPI 3 document of this contract (no key). Both hosts serve the same document.</summary>
    public const string OpenApiDocument = "openapi/v1.json";

    /// <summary>Where the interactive API reference (Scalar) lives; it reads <see cref="OpenApiDocument"/>.</summary>
    public const string Docs = "docs";

    /// <summary>The API reference's page and its scripts (no key): <c>/docs/</c>, <c>/docs/scalar.js</c>, ...</summary>
    public const string DocsFiles = Docs + "/{*path}";

    /// <summary>Query parameters of the routes above.</summary>
    public static class Query
    {
        public const string Limit = "limit";
        public const string Status = "status";
        public const string EpisodeId = "episode_id";

        /// <summary>ISO 8601 instant of <c>DELETE /async/jobs</c>: finished jobs created before it are purged.</summary>
        public const string Before = "before";

        /// <summary>Where the next page of <c>GET /async/jobs</c> starts; from the previous page's <c>Link</c> header.</summary>
        public const string Cursor = "cursor";

        /// <summary>The key, as Functions accepts it (also the <c>x-functions-key</c> header).</summary>
        public const string Code = "code";
    }

    /// <summary>Header that carries the key, as Functions accepts it.</summary>
    public const string KeyHeader = "x-functions-key";

    /// <summary>
    /// Every route both hosts serve: method, template, whether it needs a key, and whether the OpenAPI document
    /// describes it (all but the document and its reference page). Tests compare it with both hosts and the document.
    /// </summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new(Get, Health, RequiresKey: false),
        new(Post, Discover, RequiresKey: true),
        new(Get, Episodes, RequiresKey: true),
        new(Get, Episode, RequiresKey: true),
        new(Post, Process, RequiresKey: true),
        new(Get, Job, RequiresKey: true),
        new(Delete, Job, RequiresKey: true),
        new(Post, JobRetry, RequiresKey: true),
        new(Get, Jobs, RequiresKey: true),
        new(Delete, Jobs, RequiresKey: true),
        new(Get, Stats, RequiresKey: true),
        new(Post, Batches, RequiresKey: true),
        new(Get, Site, RequiresKey: false),
        new(Get, Dashboard, RequiresKey: false),
        new(Head, Site, RequiresKey: false),
        new(Get, OpenApiDocument, RequiresKey: false, Documented: false),
        new(Get, DocsFiles, RequiresKey: false, Documented: false),
    ];

    /// <summary>The path of a job's status, <c>/async/jobs/{jobId}</c>.</summary>
    public static string JobPath(string jobId) => "/" + Job.Replace("{id}", Uri.EscapeDataString(jobId), StringComparison.Ordinal);

    /// <summary>The path that retries a job, <c>/async/jobs/{jobId}/retry</c>.</summary>
    public static string JobRetryPath(string jobId) => "/" + JobRetry.Replace("{id}", Uri.EscapeDataString(jobId), StringComparison.Ordinal);
}
