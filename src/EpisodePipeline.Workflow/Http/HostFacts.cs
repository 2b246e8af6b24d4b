using System.Text.Json.Serialization;

namespace EpisodePipeline.Http;

/// <summary>Facts about the host serving the API, reported by <c>/health</c> and <c>/async/stats</c>.</summary>
/// <param name="Host">"functions" or "standalone".</param>
/// <param name="Backend">The durable backend, e.g. "in-memory" or "azure-storage".</param>
/// <param name="MaxWorkers">Activities the host's worker runs at once.</param>
public sealed record HostFacts(string Host, string Backend, int MaxWorkers);
