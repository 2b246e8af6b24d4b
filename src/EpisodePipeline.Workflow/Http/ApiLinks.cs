namespace EpisodePipeline.Http;

/// <summary>
/// The URLs handlers hand out (<c>Location</c>, <c>status_url</c>). They never come from the request's
/// <c>Host</c> header, which the client controls: the host supplies the address clients reach it at, or the
/// links are relative (<c>/async/jobs/{id}</c>), which HTTP clients resolve against the URL they called.
/// </summary>
/// <param name="baseAddress">The API's public base address, asked once at the first link; null for relative links.</param>
public sealed class ApiLinks(Func<Uri?> baseAddress)
{
    private readonly Lazy<string> _base = new(() => baseAddress()?.ToString().TrimEnd('/') ?? "");

    /// <summary>Relative links only; the Functions app, whose public address is known to its proxy, not to it.</summary>
    public static ApiLinks Relative { get; } = new(() => null);

    public string Job(string jobId) => _base.Value + ApiRoutes.JobPath(jobId);

    /// <summary><paramref name="path"/> (rooted, e.g. <c>/site/episodes/x/</c>) under the public base address, or as it is.</summary>
    public string Absolute(string path) => _base.Value + path;
}
