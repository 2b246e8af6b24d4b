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

    public const string Health = "health";
    public const string Discover = "episodes/discover";
    public const string Episodes = "episodes";
    public const string Episode = "episodes/{id}";
    public const string Process = "async/episodes/{id}/process";
    public const string Jobs = "async/jobs";
    public const string Job = "async/jobs/{id}";
    public const string Stats = "async/stats";

    /// <summary>The rendered site (GET and HEAD, no key: published pages); <c>{*path}</c> is the file under the output folder.</summary>
    public const string Site = "site/{*path}";

    /// <summary>Query parameters of the routes above.</summary>
    public static class Query
    {
        public const string Limit = "limit";
        public const string Status = "status";
        public const string EpisodeId = "episode_id";

        /// <summary>Where the next page of <c>GET /async/jobs</c> starts; from the previous page's <c>Link</c> header.</summary>
        public const string Cursor = "cursor";

        /// <summary>The key, as Functions accepts it (also the <c>x-functions-key</c> header).</summary>
        public const string Code = "code";
    }

    /// <summary>Header that carries the key, as Functions accepts it.</summary>
    public const string KeyHeader = "x-functions-key";

    /// <summary>Every route: method, template, and whether it needs a key. Tests and docs read this.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new(Get, Health, RequiresKey: false),
        new(Post, Discover, RequiresKey: true),
        new(Get, Episodes, RequiresKey: true),
        new(Get, Episode, RequiresKey: true),
        new(Post, Process, RequiresKey: true),
        new(Get, Job, RequiresKey: true),
        new(Get, Jobs, RequiresKey: true),
        new(Get, Stats, RequiresKey: true),
        new(Get, Site, RequiresKey: false),
    ];

    /// <summary>The path of a job's status, <c>/async/jobs/{jobId}</c>.</summary>
    public static string JobPath(string jobId) => "/" + Job.Replace("{id}", Uri.EscapeDataString(jobId), StringComparison.Ordinal);
}
