using System.ComponentModel.DataAnnotations;

namespace EpisodePipeline.Host.Options;

/// <summary>
/// Per-client request limits of the standalone host, from <c>Host:RateLimits</c>. Each limit is a token bucket: a
/// client may spend the whole limit at once, and gets it back evenly over the window. A client is the host's key
/// when it sends the right one, else its IP address. Health, the site and the API reference are never limited.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Host:RateLimits";

    /// <summary>False turns every limit off (a gateway in front limits instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests that start or change work (submits, retries, batch starts, discovery, cancels, purges) per window.</summary>
    [Range(1, 1_000_000_000, ErrorMessage = "Host:RateLimits:SubmitPermitLimit must be from {1} to {2}.")]
    public int SubmitPermitLimit { get; set; } = 300;

    /// <summary>Seconds over which <see cref="SubmitPermitLimit"/> requests come back.</summary>
    [Range(1, 86_400, ErrorMessage = "Host:RateLimits:SubmitWindowSeconds must be from {1} to {2}.")]
    public int SubmitWindowSeconds { get; set; } = 60;

    /// <summary>Reads (job status, job list, stats, episodes) per window.</summary>
    [Range(1, 1_000_000_000, ErrorMessage = "Host:RateLimits:PollingPermitLimit must be from {1} to {2}.")]
    public int PollingPermitLimit { get; set; } = 6000;

    /// <summary>Seconds over which <see cref="PollingPermitLimit"/> requests come back.</summary>
    [Range(1, 86_400, ErrorMessage = "Host:RateLimits:PollingWindowSeconds must be from {1} to {2}.")]
    public int PollingWindowSeconds { get; set; } = 60;
}
