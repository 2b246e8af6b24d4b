using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EpisodePipeline.Host.Options;

/// <summary>
/// Settings of the standalone host, from the <c>Host</c> section or the command line
/// (<c>api --port 8000 --backend AzureStorage</c>).
/// </summary>
public sealed class StandaloneHostOptions : IValidatableObject
{
    public const string Section = "Host";

    /// <summary>Address the HTTP API listens on.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Host:Address is required.")]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>HTTP port; 0 picks a free one.</summary>
    [Range(0, 65535, ErrorMessage = "Host:Port must be from {1} to {2}.")]
    public int Port { get; set; } = 8000;

    /// <summary>
    /// The key clients send as <c>x-functions-key</c> or <c>?code=</c>. Optional on loopback; required on any
    /// other address.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The address clients reach the API at (<c>http://media-box:8000</c>), for the links it hands out
    /// (<c>Location</c>, <c>status_url</c>). Default: the bound address on loopback; relative links otherwise.
    /// </summary>
    public string? PublicUrl { get; set; }

    public DurableBackend Backend { get; set; } = DurableBackend.InMemory;

    /// <summary>Azure Storage connection string; <c>UseDevelopmentStorage=true</c> is Azurite.</summary>
    public string StorageConnectionString { get; set; } = "UseDevelopmentStorage=true";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Host:TaskHub is required."), RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Host:TaskHub must be 3-45 letters or digits, starting with a letter.")]
    public string TaskHub { get; set; } = "EpisodePipeline";

    /// <summary>Activities the worker runs at once (each segment transcription is one).</summary>
    [Range(1, 1000, ErrorMessage = "Host:MaxConcurrentActivities must be from {1} to {2}.")]
    public int MaxConcurrentActivities { get; set; } = 16;

    /// <summary>Orchestration episodes the worker runs at once.</summary>
    [Range(1, 1000, ErrorMessage = "Host:MaxConcurrentOrchestrations must be from {1} to {2}.")]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>
    /// Azure Storage: how long a running activity's queue message stays hidden between renewals. Short
    /// means a crashed host's work is picked up again soon; the host renews it while the activity runs.
    /// </summary>
    [Range(5, 600, ErrorMessage = "Host:ActivityLockSeconds must be from {1} to {2}.")]
    public int ActivityLockSeconds { get; set; } = 30;

    public bool IsLoopback => Address is "localhost" || (IPAddress.TryParse(Address, out var ip) && IPAddress.IsLoopback(ip));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Address != "localhost" && !IPAddress.TryParse(Address, out _) && Address is not ("*" or "+" or "0.0.0.0"))
        {
            yield return new ValidationResult($"Host:Address '{Address}' is not an IP address or 'localhost'.", [nameof(Address)]);
        }

        if (PublicUrl is not null && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Host:PublicUrl '{PublicUrl}' must be an absolute http(s) URL, e.g. http://media-box:8000.", [nameof(PublicUrl)]);
        }

        if (!IsLoopback && string.IsNullOrEmpty(ApiKey))
        {
            yield return new ValidationResult(
                $"Host:ApiKey is required when listening on '{Address}', which is not loopback. Set --api-key (or Host__ApiKey), or listen on 127.0.0.1.",
                [nameof(ApiKey)]);
        }
    }
}
