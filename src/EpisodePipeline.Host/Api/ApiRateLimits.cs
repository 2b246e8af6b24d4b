using System.Globalization;
using System.Threading.RateLimiting;
using EpisodePipeline.Host.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Api;

/// <summary>
/// The standalone host's rate limits (ASP.NET Core's rate limiter), per client, from <see cref="RateLimitOptions"/>.
/// Endpoints get a policy by metadata (<see cref="ApiConventions.WithRateLimitsByMethod"/>); health, the site and the
/// API reference carry none and are never limited. A refusal is a 429 problem with <c>Retry-After</c> in seconds.
/// </summary>
internal static class ApiRateLimits
{
    /// <summary>Requests that start or change work.</summary>
    public const string Submits = "submits";

    /// <summary>Reads: job status, job list, stats, episodes.</summary>
    public const string Polling = "polling";

    /// <summary>The client every holder of the host's key is counted as.</summary>
    public const string KeyClient = "key";

    // Each client's bucket refills on a timer; no faster than this, however high the limit.
    private static readonly TimeSpan ShortestRefill = TimeSpan.FromMilliseconds(100);

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Submits, context => Partition(context, o => (o.SubmitPermitLimit, o.SubmitWindowSeconds)));
            limiter.AddPolicy(Polling, context => Partition(context, o => (o.PollingPermitLimit, o.PollingWindowSeconds)));
            limiter.OnRejected = RejectAsync;
        });

    /// <summary>
    /// Who a request counts against: the host's key when it carries the right one, else its IP address. A wrong key
    /// counts against the address: were every made-up key its own client, guessing keys would never be limited.
    /// </summary>
    internal static string Client(HttpContext context)
    {
        var key = context.RequestServices.GetRequiredService<IOptions<StandaloneHostOptions>>().Value.ApiKey;
        return FunctionKey.IsValid(FunctionKey.Given(context.Request), key) ? KeyClient : "ip:" + context.Connection.RemoteIpAddress;
    }

    /// <summary>
    /// A bucket of <paramref name="limit"/> requests that refills evenly over <paramref name="windowSeconds"/>: an idle
    /// client may send the whole limit at once, then one request per window/limit (in steps of at least 100 ms).
    /// </summary>
    internal static TokenBucketRateLimiterOptions Bucket(int limit, int windowSeconds)
    {
        var window = TimeSpan.FromSeconds(windowSeconds);
        var step = window / limit;
        if (step < ShortestRefill)
        {
            step = ShortestRefill;
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            ReplenishmentPeriod = step,
            TokensPerPeriod = (int)Math.Max(1, Math.Round(limit * (step / window))),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitOptions, (int Limit, int WindowSeconds)> pick)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!options.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var (limit, windowSeconds) = pick(options);
        return RateLimitPartition.GetTokenBucketLimiter(Client(context), _ => Bucket(limit, windowSeconds));
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var polling = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Polling;
        var (limit, window, setting, what) = polling
            ? (options.PollingPermitLimit, options.PollingWindowSeconds, nameof(RateLimitOptions.PollingPermitLimit), "reads")
            : (options.SubmitPermitLimit, options.SubmitWindowSeconds, nameof(RateLimitOptions.SubmitPermitLimit), "requests that start or change work");

        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiRateLimits).FullName!)
            .RequestRefused(http.Request.Method, http.Request.Path.Value ?? "", Client(http), polling ? Polling : Submits, seconds);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            detail: $"This client may make {limit} {what} per {window} s ({RateLimitOptions.Section}:{setting}); try again in {seconds} s.")
            .ExecuteAsync(http);
    }
}
