using Microsoft.Extensions.Hosting;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// Parses the templates (embedded and overrides) when a host starts: a template that does not parse stops
/// start-up with its path and Scriban's message, as a bad setting does, and the first render skips parsing.
/// </summary>
internal sealed class TemplateCheck(ITemplateRenderer templates) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        templates.Check();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
