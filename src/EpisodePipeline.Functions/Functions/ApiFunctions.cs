using EpisodePipeline.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EpisodePipeline.Functions.Functions;

/// <summary>
/// HTTP starters and queries: each routes to the shared <see cref="PipelineApi"/>. Keys are checked by
/// the Functions host (<see cref="AuthorizationLevel.Function"/>); only the health probe is open.
/// </summary>
public sealed class ApiFunctions(PipelineApi api)
{
    [Function(nameof(Health))]
    public IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        new HttpResultAction(api.Health());

    [Function(nameof(DiscoverEpisodes))]
    public async Task<IActionResult> DiscoverEpisodes(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "episodes/discover")] HttpRequest request) =>
        new HttpResultAction(await api.DiscoverAsync(request.HttpContext.RequestAborted));

    [Function(nameof(ListEpisodes))]
    public async Task<IActionResult> ListEpisodes(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "episodes")] HttpRequest request) =>
        new HttpResultAction(await api.ListEpisodesAsync(request.HttpContext.RequestAborted));

    [Function(nameof(GetEpisode))]
    public async Task<IActionResult> GetEpisode(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "episodes/{id}")] HttpRequest request,
        string id) =>
        new HttpResultAction(await api.GetEpisodeAsync(id, request.HttpContext.RequestAborted));

    [Function(nameof(SubmitProcessEpisode))]
    public async Task<IActionResult> SubmitProcessEpisode(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "async/episodes/{id}/process")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await api.SubmitAsync(id, request, client, request.HttpContext.RequestAborted));

    [Function(nameof(GetJob))]
    public async Task<IActionResult> GetJob(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "async/jobs/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await api.GetJobAsync(id, client, request.HttpContext.RequestAborted));

    [Function(nameof(ListJobs))]
    public async Task<IActionResult> ListJobs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "async/jobs")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await api.ListJobsAsync(
            request.Query["limit"].FirstOrDefault(),
            request.Query["status"].FirstOrDefault(),
            request.Query["episode_id"].FirstOrDefault(),
            client,
            request.HttpContext.RequestAborted));

    [Function(nameof(JobStats))]
    public async Task<IActionResult> JobStats(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "async/stats")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await api.StatsAsync(client, request.HttpContext.RequestAborted));
}
