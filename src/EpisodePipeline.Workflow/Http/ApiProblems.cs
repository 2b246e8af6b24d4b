using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EpisodePipeline.Http;

/// <summary>RFC 7807 answers shared by the handlers; each detail says what to do next.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult EpisodeNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Episode not found.",
        detail: $"No episode has id '{id}'. List episodes with GET /{ApiRoutes.Episodes}, or run POST /{ApiRoutes.Discover} after adding media.");

    public static ProblemHttpResult JobNotFound(string jobId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Job not found.",
        detail: $"No job has id '{jobId}'. List recent jobs with GET /{ApiRoutes.Jobs}.");

    /// <summary>409: the job is not in a state the operation applies to; <paramref name="detail"/> says what it is and what to do.</summary>
    public static ProblemHttpResult JobConflict(string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: title,
        detail: detail);

    public static ProblemHttpResult Unprocessable(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The episode cannot be processed as asked.",
        detail: detail);

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors, string title) =>
        TypedResults.ValidationProblem(errors, title: title);
}
