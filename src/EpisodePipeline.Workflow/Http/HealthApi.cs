using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EpisodePipeline.Http;

/// <summary><c>GET /health</c>: open to everyone, never needs a key.</summary>
public static class HealthApi
{
    public static Ok<HealthResponse> Get(HostFacts host) => TypedResults.Ok(new HealthResponse("healthy", host.Host, host.Backend));
}
