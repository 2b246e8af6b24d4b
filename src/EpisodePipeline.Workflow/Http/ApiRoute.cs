namespace EpisodePipeline.Http;

/// <summary>One row of <see cref="ApiRoutes.All"/>.</summary>
/// <param name="Method">Lower-case HTTP method, as Functions attributes write it.</param>
/// <param name="Template">The route without a leading slash, in Functions' form (<c>{*path}</c> for a catch-all).</param>
/// <param name="RequiresKey">Whether a caller must send the key (<c>x-functions-key</c> header or <c>code</c> query).</param>
/// <param name="Documented">Whether <c>/openapi/v1.json</c> describes the route; false only for the document and its reference page.</param>
public sealed record ApiRoute(string Method, string Template, bool RequiresKey, bool Documented = true);
