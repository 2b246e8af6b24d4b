using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace EpisodePipeline.Http;

/// <summary>
/// Reads a small JSON request body as bytes, refusing what is not one: too large (413), unreadable such as
/// malformed chunked encoding (400), or not JSON by its <c>Content-Type</c> (415). An empty body needs no
/// <c>Content-Type</c>. A UTF-8 byte-order mark is dropped, as JSON readers may do (RFC 8259 §8.1).
/// </summary>
internal static class JsonBody
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The body (empty when none was sent), or the problem to answer with.</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, int maxBytes, ILogger logger, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (default, TooLarge(maxBytes));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex)
        {
            // The client's framing is broken (bad chunk size, body ends early, over the server's limit): its
            // mistake, not ours, so one Debug line and no stack trace.
            logger.BodyUnreadable(request.Method, request.Path, ex.StatusCode, ex.Message);
            return (default, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(maxBytes)
                : TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "The request body could not be read.",
                    detail: $"{ex.Message} Send the body with a correct Content-Length or well-formed chunked encoding."));
        }

        if (buffer.Length == 0)
        {
            return (ReadOnlyMemory<byte>.Empty, null);
        }

        if (!IsJson(request.ContentType))
        {
            return (default, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The body is not JSON.",
                detail: $"Send the body as UTF-8 JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "no Content-Type"}'), or send no body at all."));
        }

        ReadOnlyMemory<byte> body = buffer.ToArray();
        return (body.Span.StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body, null);
    }

    /// <summary>
    /// The body as a <typeparamref name="T"/> request: an empty body or JSON <c>null</c> is a request with every field at
    /// its default. Otherwise the problem to answer with: unreadable (as <see cref="ReadAsync(HttpRequest, int, ILogger, CancellationToken)"/>),
    /// or JSON that is no <typeparamref name="T"/> (400 naming <c>body</c>; the title says "The <paramref name="what"/> is invalid.").
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Unreadable, ValidationProblem? Malformed)> ReadAsync<T>(
        HttpRequest request, int maxBytes, string what, ILogger logger, CancellationToken cancellationToken)
        where T : class, new()
    {
        var (body, unreadable) = await ReadAsync(request, maxBytes, logger, cancellationToken);
        if (unreadable is not null)
        {
            return (null, unreadable, null);
        }

        try
        {
            return (body.IsEmpty ? new T() : JsonSerializer.Deserialize<T>(body.Span) ?? new T(), null, null);
        }
        catch (JsonException ex)
        {
            return (null, null, ApiProblems.Invalid(new() { ["body"] = [$"The body is not valid JSON for a {what}: {ex.Message}"] }, $"The {what} is invalid."));
        }
    }

    /// <summary><c>application/json</c> or any <c>+json</c> type, in UTF-8 if a charset is named.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));

    private static ProblemHttpResult TooLarge(int maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large.",
        detail: $"A request body here is at most {maxBytes} bytes of JSON.");
}
