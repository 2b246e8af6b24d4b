using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace EpisodePipeline.Functions.Functions;

/// <summary>Lets a function return the shared contract's <see cref="IResult"/> through ASP.NET Core integration.</summary>
internal sealed class HttpResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
