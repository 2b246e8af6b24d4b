using System.Net;
using Microsoft.AspNetCore.Http;

namespace EpisodePipeline.Host.Client;

/// <summary>
/// A request the host refused (<see cref="Status"/> with its RFC 7807 <see cref="Problem"/>, when it sent one) or
/// could not answer (no <see cref="Status"/>: not reachable, timed out). <see cref="Exception.Message"/> is one
/// line a person can act on: the request, the status and the problem's title, detail and field errors.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(string message, HttpStatusCode? status = null, HttpValidationProblemDetails? problem = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Problem = problem;
    }

    public ApiException()
    {
    }

    public ApiException(string message)
        : base(message)
    {
    }

    public ApiException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status the host answered; null when it did not answer at all.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The problem details the host sent with the status, if any.</summary>
    public HttpValidationProblemDetails? Problem { get; }
}
