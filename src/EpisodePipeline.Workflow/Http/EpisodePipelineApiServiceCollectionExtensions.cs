using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EpisodePipeline.Http;

/// <summary>The HTTP layer's composition root, apart from the workflow's (<c>AddEpisodePipeline</c>).</summary>
public static class EpisodePipelineApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the handlers need beyond the workflow: the host's facts and where its links point.
    /// </summary>
    /// <param name="services">The host's services; <c>AddEpisodePipeline()</c> registers the workflow.</param>
    /// <param name="host">What <c>/health</c> and <c>/async/stats</c> report.</param>
    /// <param name="publicBaseAddress">The address clients reach the API at, asked once at the first link; null (or returning null) for relative links.</param>
    public static IServiceCollection AddEpisodePipelineApi(this IServiceCollection services, HostFacts host, Func<IServiceProvider, Uri?>? publicBaseAddress = null)
    {
        services.TryAddSingleton(host);
        services.TryAddSingleton<SiteApi>();
        services.TryAddSingleton(sp => publicBaseAddress is null ? ApiLinks.Relative : new ApiLinks(() => publicBaseAddress(sp)));
        return services;
    }
}
