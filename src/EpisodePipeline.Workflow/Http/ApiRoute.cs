namespace EpisodePipeline.Http;

/// <summary>One row of <see cref="ApiRoutes.All"/>.</summary>
public sealed record ApiRoute(string Method, string Template, bool RequiresKey);
