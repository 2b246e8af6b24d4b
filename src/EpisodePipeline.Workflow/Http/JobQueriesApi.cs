using System.Text.Json;
using System.Text.Json.Nodes;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace EpisodePipeline.Http;

/// <summary>Reading jobs: one job, the newest jobs, the counts.</summary>
public static class JobQueriesApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>
    /// <c>GET /async/jobs/{id}</c>; a completed job's result carries the transcript itself, and a rendered
    /// job's <c>page_url</c> is made absolute when the host knows its address (<see cref="ApiLinks"/>).
    /// </summary>
    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetAsync(
        string id, DurableTaskClient client, DataLayout layout, ApiLinks links, CancellationToken cancellationToken)
    {
        if (!EpisodeJobs.TryNormalizeJobId(id, out var jobId))
        {
            return ApiProblems.JobNotFound(id);
        }

        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null || !JobTypes.IsJob(metadata.Name))
        {
            return ApiProblems.JobNotFound(id);
        }

        var job = JobStatusMapper.Map(metadata);
        return TypedResults.Ok(job with { Result = WithPageLink(await WithTranscriptAsync(job.Result, layout, cancellationToken), links) });
    }

    /// <summary><c>GET /async/jobs?limit=20&amp;status=&amp;episode_id=</c>, newest first.</summary>
    public static async Task<Results<Ok<List<JobResponse>>, ValidationProblem>> ListAsync(
        [FromQuery(Name = ApiRoutes.Query.Limit)] string? limit,
        [FromQuery(Name = ApiRoutes.Query.Status)] string? status,
        [FromQuery(Name = ApiRoutes.Query.EpisodeId)] string? episodeId,
        DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var take = DefaultLimit;
        var errors = new Dictionary<string, string[]>();
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take < 1 || take > MaxLimit))
        {
            errors[ApiRoutes.Query.Limit] = [$"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'."];
        }

        JobStatus? statusFilter = null;
        if (status is not null)
        {
            if (WireName.TryParse<JobStatus>(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors[ApiRoutes.Query.Status] = [$"status must be one of {string.Join(", ", WireName.All<JobStatus>())}; got '{status}'."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "The job query is invalid.");
        }

        var jobs = await ListAllAsync(client, cancellationToken);
        return TypedResults.Ok(jobs
            .Where(j => statusFilter is null || j.Status == statusFilter)
            .Where(j => episodeId is null || j.EpisodeId == episodeId)
            .OrderByDescending(j => j.CreatedAt)
            .ThenBy(j => j.JobId, StringComparer.Ordinal)
            .Take(take)
            .ToList());
    }

    /// <summary><c>GET /async/stats</c>.</summary>
    public static async Task<Ok<StatsResponse>> StatsAsync(DurableTaskClient client, EpisodeCatalog catalog, HostFacts host, CancellationToken cancellationToken)
    {
        var jobs = await ListAllAsync(client, cancellationToken);
        int Count(JobStatus s) => jobs.Count(j => j.Status == s);
        var episodes = await catalog.ListAsync(cancellationToken);
        return TypedResults.Ok(new StatsResponse(
            Count(JobStatus.Queued),
            Count(JobStatus.Running),
            Count(JobStatus.Completed),
            Count(JobStatus.Failed),
            Count(JobStatus.Cancelled),
            jobs.Count,
            host.MaxWorkers,
            episodes.Count));
    }

    private static async Task<List<JobResponse>> ListAllAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var jobs = new List<JobResponse>();
        var query = new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = 500 };
        await foreach (var metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (JobTypes.IsJob(metadata.Name))
            {
                jobs.Add(JobStatusMapper.Map(metadata));
            }
        }

        return jobs;
    }

    /// <summary>History holds the page's path under <c>/site/</c>; the answer gives the link a client can open.</summary>
    private static JsonElement? WithPageLink(JsonElement? result, ApiLinks links)
    {
        if (result is not { ValueKind: JsonValueKind.Object } element
            || !element.TryGetProperty("page_url", out var page)
            || page.GetString() is not { } path
            || !path.StartsWith('/'))
        {
            return result;
        }

        var node = JsonObject.Create(element)!;
        node["page_url"] = links.Absolute(path);
        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>Adds the transcript itself to a completed job's result; history only holds its path.</summary>
    private static async Task<JsonElement?> WithTranscriptAsync(JsonElement? result, DataLayout layout, CancellationToken cancellationToken)
    {
        if (result is not { ValueKind: JsonValueKind.Object } element
            || !element.TryGetProperty("artifacts", out var artifacts)
            || !artifacts.TryGetProperty(ArtifactKinds.Transcript, out var path)
            || path.GetString() is not { } relative)
        {
            return result;
        }

        var transcript = await AtomicFile.ReadJsonAsync<Transcript>(layout.FromRelative(relative), cancellationToken);
        if (transcript is null)
        {
            return result;
        }

        var node = JsonObject.Create(element)!;
        node["transcript"] = JsonSerializer.SerializeToNode(new { language = transcript.Language, segments = transcript.Segments });
        return JsonSerializer.SerializeToElement(node);
    }
}
