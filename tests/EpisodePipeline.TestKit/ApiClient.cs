using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.Jobs;

namespace EpisodePipeline.Tests.Support;

/// <summary>An HTTP client for the job contract, as a script or n8n would use it.</summary>
public sealed class ApiClient(Uri baseAddress, string? key = null) : IDisposable
{
    private readonly HttpClient _http = CreateClient(baseAddress, key);

    public HttpClient Http => _http;

    private static HttpClient CreateClient(Uri baseAddress, string? key)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        return http;
    }

    public async Task<JsonElement> DiscoverAsync()
    {
        using var response = await _http.PostAsync("/episodes/discover", null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> SubmitAsync(string episodeId, string json) =>
        _http.PostAsync($"/async/episodes/{episodeId}/process", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

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
        (await _http.GetFromJsonAsync<JobResponse>($"/async/jobs/{jobId}"))!;

    public Task<JobResponse> WaitForJobAsync(string jobId, TimeSpan timeout, Func<JobResponse, bool>? until = null) =>
        Poll.UntilAsync(() => JobAsync(jobId), until ?? (j => j.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled), timeout,
            $"job {jobId}", intervalMs: 100);

    public void Dispose() => _http.Dispose();
}
