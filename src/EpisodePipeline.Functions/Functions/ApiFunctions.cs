using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Functions.Functions;

/// <summary>
/// The route table (<see cref="ApiRoutes"/>) as HTTP functions, each calling the shared handler. Keys are
/// checked by the Functions host (<see cref="AuthorizationLevel.Function"/>); only the health probe is open.
/// </summary>
public sealed class ApiFunctions(EpisodeCatalog catalog, EpisodeJobs jobs, BatchJobs batches, JobIndex index, DataLayout layout, HostFacts host, ApiLinks links, IOptions<PipelineOptions> options, ILoggerFactory loggers)
{
    [Function(nameof(Health))]
    public IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, ApiRoutes.Get, Route = ApiRoutes.Health)] HttpRequest request) =>
        new HttpResultAction(HealthApi.Get(host));

    [Function(nameof(DiscoverEpisodes))]
    public async Task<IActionResult> DiscoverEpisodes(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Post, Route = ApiRoutes.Discover)] HttpRequest request) =>
        new HttpResultAction(await EpisodesApi.DiscoverAsync(catalog, request.HttpContext.RequestAborted));

    [Function(nameof(ListEpisodes))]
    public async Task<IActionResult> ListEpisodes(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Get, Route = ApiRoutes.Episodes)] HttpRequest request) =>
        new HttpResultAction(await EpisodesApi.ListAsync(catalog, request.HttpContext.RequestAborted));

    [Function(nameof(GetEpisode))]
    public async Task<IActionResult> GetEpisode(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Get, Route = ApiRoutes.Episode)] HttpRequest request,
        string id) =>
        new HttpResultAction(await EpisodesApi.GetAsync(id, catalog, request.HttpContext.RequestAborted));

    [Function(nameof(SubmitProcessEpisode))]
    public async Task<IActionResult> SubmitProcessEpisode(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Post, Route = ApiRoutes.Process)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobsApi.SubmitAsync(id, request, catalog, jobs, client, links, options, loggers, request.HttpContext.RequestAborted));

    [Function(nameof(GetJob))]
    public async Task<IActionResult> GetJob(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Get, Route = ApiRoutes.Job)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobQueriesApi.GetAsync(id, client, layout, links, request.HttpContext.RequestAborted));

    [Function(nameof(CancelJob))]
    public async Task<IActionResult> CancelJob(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Delete, Route = ApiRoutes.Job)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobControlApi.CancelAsync(id, client, catalog, links, loggers, request.HttpContext.RequestAborted));

    [Function(nameof(RetryJob))]
    public async Task<IActionResult> RetryJob(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Post, Route = ApiRoutes.JobRetry)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobControlApi.RetryAsync(id, request.HttpContext.Response, catalog, jobs, client, links, options, loggers, request.HttpContext.RequestAborted));

    [Function(nameof(PurgeJobs))]
    public async Task<IActionResult> PurgeJobs(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Delete, Route = ApiRoutes.Jobs)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobControlApi.PurgeAsync(request.Query[ApiRoutes.Query.Before].FirstOrDefault(), request, client, index, loggers, request.HttpContext.RequestAborted));

    [Function(nameof(ListJobs))]
    public async Task<IActionResult> ListJobs(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Get, Route = ApiRoutes.Jobs)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobQueriesApi.ListAsync(
            request.Query[ApiRoutes.Query.Limit].FirstOrDefault(),
            request.Query[ApiRoutes.Query.Status].FirstOrDefault(),
            request.Query[ApiRoutes.Query.EpisodeId].FirstOrDefault(),
            request.Query[ApiRoutes.Query.Cursor].FirstOrDefault(),
            client,
            index,
            links,
            request.HttpContext.Response,
            request.HttpContext.RequestAborted));

    [Function(nameof(JobStats))]
    public async Task<IActionResult> JobStats(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Get, Route = ApiRoutes.Stats)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await JobQueriesApi.StatsAsync(client, index, catalog, host, request.HttpContext.RequestAborted));

    [Function(nameof(StartBatch))]
    public async Task<IActionResult> StartBatch(
        [HttpTrigger(AuthorizationLevel.Function, ApiRoutes.Post, Route = ApiRoutes.Batches)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        new HttpResultAction(await BatchesApi.StartAsync(request, batches, client, links, options, loggers, request.HttpContext.RequestAborted));
}
