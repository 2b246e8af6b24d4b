using System.Text.Json;
using System.Text.Json.Nodes;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Http;

/// <summary>Facts about the host serving the API, reported by <c>/health</c> and <c>/async/stats</c>.</summary>
/// <param name="Host">"functions" or "standalone".</param>
/// <param name="Backend">The durable backend, e.g. "in-memory" or "azure-storage".</param>
/// <param name="MaxWorkers">Activities the host's worker runs at once.</param>
public sealed record HostFacts(string Host, string Backend, int MaxWorkers);

/// <summary>
/// The HTTP contract, written once: both hosts route their requests here and return the result.
/// Errors are RFC 7807 problem details that say what to change.
/// </summary>
public sealed class PipelineApi(EpisodeCatalog catalog, DataLayout layout, HostFacts host, ILogger<PipelineApi> logger) : IDisposable
{
    /// <summary>Submit bodies are a few small fields; anything larger is a mistake.</summary>
    public const int MaxBodyBytes = 16 * 1024;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private static readonly string OrchestrationName = nameof(ProcessEpisodeOrchestrator);
    private readonly SemaphoreSlim _submitLock = new(1, 1);

    public IResult Health() => TypedResults.Ok(new { status = "healthy", host = host.Host, backend = host.Backend });

    public async Task<IResult> DiscoverAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.DiscoverAsync(cancellationToken));

    public async Task<IResult> ListEpisodesAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    public async Task<IResult> GetEpisodeAsync(string id, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } episode ? TypedResults.Ok(episode) : EpisodeNotFound(id);

    public async Task<IResult> SubmitAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        ProcessRequest submit;
        try
        {
            submit = body.Length == 0 ? new ProcessRequest() : JsonSerializer.Deserialize<ProcessRequest>(body) ?? new ProcessRequest();
        }
        catch (JsonException ex)
        {
            return BadRequest("body", $"The body is not valid JSON for a process request: {ex.Message}");
        }

        var errors = new Dictionary<string, string[]>();
        if (submit.EpisodeId is not null && submit.EpisodeId != id)
        {
            errors["episode_id"] = [$"The body names episode '{submit.EpisodeId}' but the URL names '{id}'; they must match (or leave episode_id out)."];
        }

        var targetName = submit.TargetStage ?? WireName.Of(EpisodeStage.Rendered);
        if (!WireName.TryParse<EpisodeStage>(targetName, out var target) || target == EpisodeStage.Discovered)
        {
            errors["target_stage"] = [$"'{targetName}' is not a stage to process to; use one of: transcribed, enriched, rendered."];
        }

        if (submit.WebhookUrl is not null && (!Uri.TryCreate(submit.WebhookUrl, UriKind.Absolute, out var hook) || (hook.Scheme != Uri.UriSchemeHttp && hook.Scheme != Uri.UriSchemeHttps)))
        {
            errors["webhook_url"] = [$"'{submit.WebhookUrl}' is not an absolute http(s) URL."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The process request is invalid.");
        }

        var episode = await catalog.FindAsync(id, cancellationToken);
        if (episode is null)
        {
            return EpisodeNotFound(id);
        }

        if (target > ProcessEpisodeOrchestrator.HighestSupportedStage)
        {
            var missing = target == EpisodeStage.Enriched ? "Enrich" : "Enrich and Render";
            return Unprocessable($"Stage '{targetName}' needs the {missing} stage, which this build does not have yet. Use target_stage 'transcribed'.");
        }

        if (submit.WebhookUrl is not null)
        {
            return Unprocessable("webhook_url needs the NotifyWebhook stage, which this build does not have yet. Submit without webhook_url and poll the job.");
        }

        if (episode.Missing)
        {
            return Unprocessable($"The media file of episode '{id}' is gone ('{episode.MediaPath}'). Restore it and run discovery again.");
        }

        await _submitLock.WaitAsync(cancellationToken);
        try
        {
            var active = await FindActiveJobAsync(client, id, cancellationToken);
            if (active is not null)
            {
                return Accepted(request, active, id, existing: true);
            }

            var input = new ProcessEpisodeInput(id, target, submit.ForceReprocess ?? false, submit.WebhookUrl);
            var jobId = await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationName, input, new Microsoft.DurableTask.StartOrchestrationOptions(Guid.NewGuid().ToString()), cancellationToken);
            await catalog.UpdateAsync(id, e => e with { ActiveJobId = jobId }, cancellationToken);
            logger.JobScheduled(jobId, id, targetName);
            return Accepted(request, jobId, id, existing: false);
        }
        finally
        {
            _submitLock.Release();
        }
    }

    public async Task<IResult> GetJobAsync(string jobId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out _))
        {
            return JobNotFound(jobId);
        }

        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null || metadata.Name != OrchestrationName)
        {
            return JobNotFound(jobId);
        }

        var job = JobStatusMapper.Map(metadata);
        return TypedResults.Ok(job with { Result = await WithTranscriptAsync(job.Result, cancellationToken) });
    }

    public async Task<IResult> ListJobsAsync(string? limit, string? status, string? episodeId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var take = DefaultLimit;
        var errors = new Dictionary<string, string[]>();
        if (limit is not null && (!int.TryParse(limit, out take) || take < 1 || take > MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'."];
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
                errors["status"] = [$"status must be one of {string.Join(", ", WireName.All<JobStatus>())}; got '{status}'."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The job query is invalid.");
        }

        var jobs = await ListAllAsync(client, cancellationToken);
        var page = jobs
            .Where(j => statusFilter is null || j.Status == statusFilter)
            .Where(j => episodeId is null || j.EpisodeId == episodeId)
            .OrderByDescending(j => j.CreatedAt)
            .ThenBy(j => j.JobId, StringComparer.Ordinal)
            .Take(take)
            .ToList();
        return TypedResults.Ok(page);
    }

    public async Task<IResult> StatsAsync(DurableTaskClient client, CancellationToken cancellationToken)
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
            if (metadata.Name == OrchestrationName)
            {
                jobs.Add(JobStatusMapper.Map(metadata));
            }
        }

        return jobs;
    }

    private async Task<string?> FindActiveJobAsync(DurableTaskClient client, string episodeId, CancellationToken cancellationToken)
    {
        var episode = await catalog.FindAsync(episodeId, cancellationToken);
        if (episode?.ActiveJobId is not { } jobId)
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken);
        return metadata is not null && JobStatusMapper.IsActive(metadata.RuntimeStatus) ? jobId : null;
    }

    /// <summary>Adds the transcript itself to a completed job's result; history only holds its path.</summary>
    private async Task<JsonElement?> WithTranscriptAsync(JsonElement? result, CancellationToken cancellationToken)
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

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Accepted<SubmitResponse> Accepted(HttpRequest request, string jobId, string episodeId, bool existing)
    {
        var statusUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/async/jobs/{jobId}";
        request.HttpContext.Response.Headers.RetryAfter = "5";
        var message = existing
            ? $"Episode '{episodeId}' already has job {jobId} queued or running; poll {statusUrl} for its status."
            : $"Episode processing queued. Poll {statusUrl} for status.";
        return TypedResults.Accepted(statusUrl, new SubmitResponse(jobId, JobStatus.Queued, message, statusUrl, episodeId, existing));
    }

    private static ProblemHttpResult EpisodeNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Episode not found.",
        detail: $"No episode has id '{id}'. List episodes with GET /episodes, or run POST /episodes/discover after adding media.");

    private static ProblemHttpResult JobNotFound(string jobId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Job not found.",
        detail: $"No job has id '{jobId}'. List recent jobs with GET /async/jobs.");

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large.",
        detail: $"A process request is at most {MaxBodyBytes} bytes of JSON.");

    private static ProblemHttpResult Unprocessable(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The episode cannot be processed as asked.",
        detail: detail);

    private static ValidationProblem BadRequest(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The process request is invalid.");

    public void Dispose() => _submitLock.Dispose();
}
