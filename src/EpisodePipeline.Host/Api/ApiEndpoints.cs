using EpisodePipeline.Http;
using EpisodePipeline.Jobs;

namespace EpisodePipeline.Host.Api;

/// <summary>
/// The standalone host's endpoints: the route table (<see cref="ApiRoutes"/>) mapped to the shared handlers, as the
/// Functions app maps it. What applies by route or method (key, rate limit, tag, problem answers) comes from
/// <see cref="ApiConventions"/>; each endpoint says only what is its own.
/// </summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapEpisodePipelineApi(this IEndpointRouteBuilder app)
    {
        var contract = app.MapGroup("").WithContractConventions();
        contract.MapGet(ApiRoutes.Health, HealthApi.Get)
            .WithName("Health")
            .WithSummary("Is the host up?")
            .WithDescription("Never needs a key and is never rate limited: for load balancers and monitors.");

        var keyed = contract.MapGroup("").RequireFunctionKey().WithRateLimitsByMethod();
        keyed.MapPost(ApiRoutes.Discover, EpisodesApi.DiscoverAsync)
            .WithName("DiscoverEpisodes")
            .WithSummary("Scan the input folders for media")
            .WithDescription("Idempotent. Adds new files, notices changed and removed ones, and probes each new or changed file once it has stopped changing (`media_status`: `ready`, `settling`, `unreadable`).");
        keyed.MapGet(ApiRoutes.Episodes, EpisodesApi.ListAsync)
            .WithName("ListEpisodes")
            .WithSummary("List the catalog's episodes, ordered by id");
        keyed.MapGet(ApiRoutes.Episode, EpisodesApi.GetAsync)
            .WithName("GetEpisode")
            .WithSummary("Get one episode");
        keyed.MapPost(ApiRoutes.Process, JobsApi.SubmitAsync)
            .WithName("SubmitProcessEpisode")
            .WithSummary("Start (or join) a job that takes the episode to a stage")
            .WithDescription("Every field of the body is optional; an empty body means all defaults. While a job for the episode is queued or running, that job comes back (`existing: true`). Poll `status_url` for progress.")
            .DescribesJsonBody<ProcessRequest>()
            .AcceptedWithJobLink()
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The media file is still being copied in; try again once discovery shows it `ready`.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The episode cannot be processed as asked: its media is gone or unreadable, it has no such `audio_track`, or this host may not or cannot call `webhook_url`. The `detail` says which.")
            .ProducesProblemWhen(StatusCodes.Status500InternalServerError, "The job could not be recorded (the data folder cannot be written); nothing was started.");
        keyed.MapGet(ApiRoutes.Job, JobQueriesApi.GetAsync)
            .WithName("GetJob")
            .WithSummary("Get a job's status")
            .WithDescription("Progress, current stage and ETA while it runs; a completed job's `result` carries the transcript itself.");
        keyed.MapDelete(ApiRoutes.Job, JobControlApi.CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a queued or running job")
            .WithDescription("Answers with the job as it stands; it shows `cancelled` moments later. Nothing further is scheduled for it: a slice being transcribed finishes, no other slice, stage or webhook runs.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The job has already ended (completed, failed or cancelled); the `detail` says how to retry a failed or cancelled one.");
        keyed.MapPost(ApiRoutes.JobRetry, JobControlApi.RetryAsync)
            .WithName("RetryJob")
            .WithSummary("Start a new job for a failed or cancelled one, reusing every stage already done")
            .WithDescription("The answer is a submit's, plus `retry_of`. While the episode has a job queued or running, that job comes back (`existing: true`).")
            .AcceptedWithJobLink()
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The job is queued, running or completed, or is not a job that can be retried.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The episode can no longer be processed as the job asked: gone from the catalog, media missing or unreadable, or its webhook no longer allowed.");
        keyed.MapGet(ApiRoutes.Jobs, JobQueriesApi.ListAsync)
            .WithName("ListJobs")
            .WithSummary("List jobs, newest first")
            .WithDescription("Results come without the transcript; `GET /async/jobs/{id}` has it. When more jobs match than `limit`, the `Link` header points at the next page (`cursor`).");
        keyed.MapDelete(ApiRoutes.Jobs, JobControlApi.PurgeAsync)
            .WithName("PurgeJobs")
            .WithSummary("Purge finished jobs created before an instant")
            .WithDescription("Removes completed, failed and cancelled jobs created before `before` (ISO 8601) from the durable store; queued and running jobs and every artifact stay.");
        keyed.MapGet(ApiRoutes.Stats, JobQueriesApi.StatsAsync)
            .WithName("JobStats")
            .WithSummary("Count jobs by status");

        keyed.MapPost(ApiRoutes.Batches, BatchesApi.StartAsync)
            .WithName("StartBatch")
            .WithSummary("Start a batch by hand: every episode below the target stage")
            .WithDescription("The same NightlyBatch job the schedule starts, with a new id. Every field of the body is optional (`target_stage`, `webhook_url`); the batch shows in `/async/jobs` with `job_type: batch` and ends with a summary.")
            .DescribesJsonBody<BatchRequest>()
            .AcceptedWithJobLink()
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "A stage this build cannot reach, or a `webhook_url` this host may not or cannot call. The `detail` says which.");

        contract.MapSite();
        contract.MapDashboard();
        return app;
    }
}
