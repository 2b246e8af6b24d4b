using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;

namespace EpisodePipeline.TestKit;

/// <summary>
/// An HTTP client for the job contract, as a script or n8n would use it. Every call has a deadline: each
/// request times out after <see cref="RequestTimeout"/>, and every wait takes its own timeout.
/// </summary>
public sealed class ApiClient : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public ApiClient(Uri baseAddress, string? key = null)
    {
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };
        if (key is not null)
        {
            Http.DefaultRequestHeaders.Add(ApiRoutes.KeyHeader, key);
        }
    }

    public HttpClient Http { get; }

    public async Task<JsonElement> DiscoverAsync()
    {
        using var response = await Http.PostAsync(new Uri(ApiRoutes.Discover, UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string ProcessPath(string episodeId) => "/" + ApiRoutes.Process.Replace("{id}", episodeId, StringComparison.Ordinal);

    public Task<HttpResponseMessage> SubmitAsync(string episodeId, string json) =>
        Http.PostAsync(new Uri(ProcessPath(episodeId), UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Submits and expects 202; anything else throws with the answer's body.</summary>
    public async Task<SubmitResponse> SubmitOkAsync(string episodeId, string targetStage = "transcribed", bool force = false)
    {
        using var response = await SubmitAsync(episodeId, JsonSerializer.Serialize(new { episode_id = episodeId, target_stage = targetStage, force_reprocess = force }));
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<SubmitResponse>())!;
    }

    public async Task<JobResponse> JobAsync(string jobId) =>
        (await Http.GetFromJsonAsync<JobResponse>(new Uri(ApiRoutes.JobPath(jobId), UriKind.Relative)))!;

    /// <summary>Polls the job until <paramref name="until"/> holds (default: it has ended); throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task<JobResponse> WaitForJobAsync(string jobId, TimeSpan timeout, Func<JobResponse, bool>? until = null, int intervalMs = 100) =>
        Poll.UntilAsync(() => JobAsync(jobId), until ?? (j => j.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled), timeout,
            $"job {jobId}", intervalMs);

    public void Dispose() => Http.Dispose();
}
