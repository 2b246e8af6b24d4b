using EpisodePipeline.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace EpisodePipeline.Functions.Functions;

/// <summary>
/// The OpenAPI document and its interactive reference, as the standalone host serves them, without a key. The worker
/// cannot generate the document (its routes are functions, not ASP.NET Core endpoints), so it serves the committed
/// copy (<see cref="ApiReferenceFiles"/>).
/// </summary>
public sealed class DocsFunctions
{
    [Function(nameof(OpenApiDocument))]
    public IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, ApiRoutes.Get, Route = ApiRoutes.OpenApiDocument)] HttpRequest request) =>
        new HttpResultAction(ApiReferenceFiles.Document());

    [Function(nameof(ApiReference))]
    public IActionResult ApiReference(
        [HttpTrigger(AuthorizationLevel.Anonymous, ApiRoutes.Get, Route = ApiRoutes.DocsFiles)] HttpRequest request,
        string? path) =>
        new HttpResultAction(ApiReferenceFiles.Serve(path, request.Path.Value ?? ""));
}
