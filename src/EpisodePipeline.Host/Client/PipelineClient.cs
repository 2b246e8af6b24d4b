using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EpisodePipeline.Host.Client;

/// <summary>
/// A thin typed client for the HTTP contract (<see cref="ApiRoutes"/>), as the command line uses it against any
/// running host, the standalone host or the Functions app. Answers are the workflow library's own records plus the
/// body as received (<see cref="ApiAnswer{T}"/>). A non-2xx answer or a host that cannot be reached throws
/// <see cref="ApiException"/> with the status and the problem details parsed into its message.
/// </summary>
public sealed class PipelineClient : IDisposable
{
    /// <summary>Long enough for a discovery that probes many new files; a host that does not answer at all fails at once.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    /// <param name="baseAddress">The host's root, e.g. <c>http://localhost:8000</c>.</param>
    /// <param name="key">Sent as <c>x-functions-key</c> when given (the standalone host's <c>--api-key</c>, a Functions key).</param>
    /// <param name="timeout">Per request; default <see cref="DefaultTimeout"/>.</param>
    public PipelineClient(Uri baseAddress, string? key = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = root, Timeout = timeout ?? DefaultTimeout };
        if (!string.IsNullOrEmpty(key))
        {
            _http.DefaultRequestHeaders.Add(ApiRoutes.KeyHeader, key);
        }
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>GET /health</c>.</summary>
    public Task<ApiAnswer<HealthResponse>> HealthAsync(CancellationToken cancellationToken) =>
        SendAsync<HealthResponse>(HttpMethod.Get, ApiRoutes.Health, null, cancellationToken);

    /// <summary><c>POST /episodes/discover</c>.</summary>
    public Task<ApiAnswer<DiscoveryResult>> DiscoverAsync(CancellationToken cancellationToken) =>
        SendAsync<DiscoveryResult>(HttpMethod.Post, ApiRoutes.Discover, null, cancellationToken);

    /// <summary><c>GET /episodes</c>, ordered by id.</summary>
    public Task<ApiAnswer<List<Episode>>> EpisodesAsync(CancellationToken cancellationToken) =>
        SendAsync<List<Episode>>(HttpMethod.Get, ApiRoutes.Episodes, null, cancellationToken);

    /// <summary><c>POST /async/episodes/{id}/process</c>; the same job comes back (<c>existing</c>) while one is active.</summary>
    public Task<ApiAnswer<SubmitResponse>> SubmitAsync(string episodeId, ProcessRequest request, CancellationToken cancellationToken) =>
        SendAsync<SubmitResponse>(HttpMethod.Post, WithId(ApiRoutes.Process, episodeId), JsonContent.Create(request, options: Json), cancellationToken);

    /// <summary><c>GET /async/jobs/{id}</c>.</summary>
    public Task<ApiAnswer<JobResponse>> JobAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync<JobResponse>(HttpMethod.Get, WithId(ApiRoutes.Job, jobId), null, cancellationToken);

    /// <summary>
    /// <c>GET /async/jobs?limit=&amp;status=&amp;episode_id=&amp;cursor=</c>, newest first; null parameters are left out
    /// (the host's defaults). When more jobs match, the answer's <see cref="ApiAnswer{T}.Next"/> is the next page and
    /// <see cref="NextCursor"/> its cursor.
    /// </summary>
    public Task<ApiAnswer<List<JobResponse>>> JobsAsync(string? status, string? episodeId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(ApiRoutes.Jobs);
        var separator = '?';
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        Add(ApiRoutes.Query.Limit, limit?.ToString(CultureInfo.InvariantCulture));
        Add(ApiRoutes.Query.Status, status);
        Add(ApiRoutes.Query.EpisodeId, episodeId);
        Add(ApiRoutes.Query.Cursor, cursor);
        return SendAsync<List<JobResponse>>(HttpMethod.Get, query.ToString(), null, cancellationToken);
    }

    /// <summary><c>DELETE /async/jobs/{id}</c>: the job as it stands (202); it reaches <c>cancelled</c> moments later.</summary>
    public Task<ApiAnswer<JobResponse>> CancelAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync<JobResponse>(HttpMethod.Delete, WithId(ApiRoutes.Job, jobId), null, cancellationToken);

    /// <summary><c>POST /async/jobs/{id}/retry</c>: a new job for a failed or cancelled one, reusing every stage already done.</summary>
    public Task<ApiAnswer<SubmitResponse>> RetryAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync<SubmitResponse>(HttpMethod.Post, WithId(ApiRoutes.JobRetry, jobId), null, cancellationToken);

    /// <summary><c>GET /async/stats</c>.</summary>
    public Task<ApiAnswer<StatsResponse>> StatsAsync(CancellationToken cancellationToken) =>
        SendAsync<StatsResponse>(HttpMethod.Get, ApiRoutes.Stats, null, cancellationToken);

    /// <summary><c>POST /async/batches</c>: starts a batch job by hand; <paramref name="targetStage"/> null leaves the host's default.</summary>
    public Task<ApiAnswer<BatchSubmitResponse>> StartBatchAsync(string? targetStage, CancellationToken cancellationToken) =>
        SendAsync<BatchSubmitResponse>(HttpMethod.Post, ApiRoutes.Batches,
            targetStage is null ? null : JsonContent.Create(new Dictionary<string, string> { ["target_stage"] = targetStage }, options: Json),
            cancellationToken);

    /// <summary>The <c>cursor</c> of a next-page URL (<see cref="ApiAnswer{T}.Next"/>); null when it has none.</summary>
    public static string? NextCursor(Uri? next) =>
        next is null ? null : QueryHelpers.ParseQuery(next.Query).TryGetValue(ApiRoutes.Query.Cursor, out var cursor) ? cursor.ToString() : null;

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The <c>rel="next"</c> target of a <c>Link</c> header (RFC 8288). Written here because .NET has no Link header
    /// parser and no package served here is one; it reads the form the hosts write (<c>&lt;URL&gt;; rel="next"</c>,
    /// several links comma-separated), which is all this client talks to.
    /// </summary>
    private static Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] is ['<', .., '>'] && parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next")
                && Uri.TryCreate(parts[0][1..^1], UriKind.RelativeOrAbsolute, out var uri))
            {
                return uri;
            }
        }

        return null;
    }

    private static string WithId(string route, string id) => route.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);

    private async Task<ApiAnswer<T>> SendAsync<T>(HttpMethod method, string route, HttpContent? content, CancellationToken cancellationToken)
    {
        var what = $"{method} {new Uri(BaseAddress, route).AbsolutePath}";
        using var request = new HttpRequestMessage(method, new Uri(route, UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(
                $"{what}: the host at {BaseAddress} cannot be reached ({e.InnerException?.Message ?? e.Message}). Is it running? Start one with `episodepipeline api`, or pass --url.",
                inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiException($"{what}: the host at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:F0} s.", inner: e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = ReadProblem(body);
                throw new ApiException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}{Describe(problem, body)}", response.StatusCode, problem);
            }

            try
            {
                var value = JsonSerializer.Deserialize<T>(body, Json) ?? throw new JsonException("the body is empty or null");
                return new ApiAnswer<T>(value, body, NextLink(response));
            }
            catch (JsonException e)
            {
                throw new ApiException($"{what} answered {(int)response.StatusCode} with a body that is not the contract's JSON ({e.Message}). Is {BaseAddress} an EpisodePipeline host?", response.StatusCode, inner: e);
            }
        }
    }

    private static HttpValidationProblemDetails? ReadProblem(string body)
    {
        try
        {
            return body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>": title detail (field: error; ...)", or the start of a body that is not a problem.</summary>
    private static string Describe(HttpValidationProblemDetails? problem, string body)
    {
        if (problem is null || (problem.Title is null && problem.Detail is null))
        {
            var text = body.Trim();
            return text.Length == 0 ? "." : $": {(text.Length > 300 ? text[..300] + "…" : text)}";
        }

        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(problem.Title))
        {
            parts.Add(problem.Title.TrimEnd('.') + ".");
        }

        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            parts.Add(problem.Detail);
        }

        if (problem.Errors.Count > 0)
        {
            parts.Add(string.Join(" ", problem.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))));
        }

        return ": " + string.Join(" ", parts);
    }
}
