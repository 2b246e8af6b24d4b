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

    /// <summary>
    /// <c>GET /async/jobs?limit=20&amp;status=&amp;episode_id=&amp;cursor=</c>: a JSON array of jobs, newest first, without
    /// transcripts. The <see cref="JobIndex"/> picks the page; only the jobs on it are read from the store. When more
    /// jobs match, a <c>Link: &lt;/async/jobs?...&amp;cursor=...&gt;; rel="next"</c> header points at the next page.
    /// </summary>
    public static async Task<Results<Ok<List<JobResponse>>, ValidationProblem>> ListAsync(
        [FromQuery(Name = ApiRoutes.Query.Limit)] string? limit,
        [FromQuery(Name = ApiRoutes.Query.Status)] string? status,
        [FromQuery(Name = ApiRoutes.Query.EpisodeId)] string? episodeId,
        [FromQuery(Name = ApiRoutes.Query.Cursor)] string? cursor,
        DurableTaskClient client,
        JobIndex index,
        ApiLinks links,
        HttpResponse response,
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

        (DateTimeOffset CreatedAt, string JobId)? after = null;
        if (cursor is not null)
        {
            if (JobCursor.TryParse(cursor, out var position))
            {
                after = position;
            }
            else
            {
                errors[ApiRoutes.Query.Cursor] = [$"cursor must be the value from a previous answer's Link header; got '{cursor}'."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "The job query is invalid.");
        }

        await index.RefreshAsync(client, cancellationToken);
        var jobs = new List<JobResponse>(take);
        // The in-memory backend moves a job's creation time once, from its scheduling to its start event, so a job read
        // on one page may be met again further on.
        var listed = new HashSet<string>(StringComparer.Ordinal);
        while (jobs.Count < take)
        {
            var page = index.Page(statusFilter, episodeId, take - jobs.Count, after);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var metadata in await index.ReadAsync(client, page, cancellationToken))
            {
                if (metadata is null)
                {
                    continue;
                }

                var job = JobStatusMapper.Map(metadata);
                // A job may have moved on between the index's refresh and this read.
                if ((statusFilter is null || job.Status == statusFilter) && listed.Add(job.JobId))
                {
                    jobs.Add(job);
                }
            }

            after = (page[^1].CreatedAt, page[^1].JobId);
        }

        if (jobs.Count == take && after is { } last && index.Page(statusFilter, episodeId, 1, last).Count > 0)
        {
            var next = QueryString.Create(new Dictionary<string, string?>
            {
                [ApiRoutes.Query.Limit] = take.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ApiRoutes.Query.Status] = status,
                [ApiRoutes.Query.EpisodeId] = episodeId,
                [ApiRoutes.Query.Cursor] = JobCursor.Format(last),
            }.Where(p => p.Value is not null));
            response.Headers.Link = $"<{links.Absolute("/" + ApiRoutes.Jobs + next)}>; rel=\"next\"";
        }

        return TypedResults.Ok(jobs);
    }

    /// <summary><c>GET /async/stats</c>: counts from the <see cref="JobIndex"/>, brought up to date first.</summary>
    public static async Task<Ok<StatsResponse>> StatsAsync(DurableTaskClient client, JobIndex index, EpisodeCatalog catalog, HostFacts host, CancellationToken cancellationToken)
    {
        await index.RefreshAsync(client, cancellationToken);
        var counts = index.Counts();
        var episodes = await catalog.ListAsync(cancellationToken);
        return TypedResults.Ok(new StatsResponse(
            counts.Queued,
            counts.Running,
            counts.Completed,
            counts.Failed,
            counts.Cancelled,
            counts.Total,
            host.MaxWorkers,
            episodes.Count));
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
