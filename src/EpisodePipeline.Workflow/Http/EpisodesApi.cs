using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EpisodePipeline.Http;

/// <summary>The catalog: discovery, the list, one episode.</summary>
public static class EpisodesApi
{
    /// <summary><c>POST /episodes/discover</c>: idempotent; notices changed and removed files.</summary>
    public static async Task<Ok<DiscoveryResult>> DiscoverAsync(EpisodeCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.DiscoverAsync(cancellationToken));

    /// <summary><c>GET /episodes</c>, ordered by id.</summary>
    public static async Task<Ok<IReadOnlyList<Episode>>> ListAsync(EpisodeCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    /// <summary><c>GET /episodes/{id}</c>.</summary>
    public static async Task<Results<Ok<Episode>, ProblemHttpResult>> GetAsync(string id, EpisodeCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } episode ? TypedResults.Ok(episode) : ApiProblems.EpisodeNotFound(id);
}
