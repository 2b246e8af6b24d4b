using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EpisodePipeline.Host;
using EpisodePipeline.Host.Api;
using EpisodePipeline.Http;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>The standalone host's per-client limits (<c>Host:RateLimits</c>): 429 problem with Retry-After, separate budgets.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly TestFolders _folders = new();
    private StandaloneHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }

    private async Task<ApiClient> StartAsync(string? key = null, params string[] limits)
    {
        _host = await StandaloneHost.StartAsync(
            [.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0", .. key is null ? Array.Empty<string>() : ["--api-key", key], .. limits]);
        return new ApiClient(_host.BaseAddress, key);
    }

    private static Task<HttpResponseMessage> SubmitUnknownAsync(ApiClient api) => api.SubmitAsync("no-such-episode", "{}");

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string path) => http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Sends <paramref name="count"/> requests one after the other; their statuses in order.</summary>
    private static async Task<HttpStatusCode[]> StatusesAsync(int count, Func<Task<HttpResponseMessage>> send)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await send();
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }

    [Fact]
    public async Task Submit_OverTheLimit_Returns429ProblemWithRetryAfter_WhilePollingGoesOn()
    {
        using var api = await StartAsync(null, "--Host:RateLimits:SubmitPermitLimit", "3", "--Host:RateLimits:SubmitWindowSeconds", "60");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 3), await StatusesAsync(3, () => SubmitUnknownAsync(api)));

        using var refused = await SubmitUnknownAsync(api);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var seconds = refused.Headers.RetryAfter?.Delta?.TotalSeconds;
        // One request comes back every 60 s / 3 = 20 s.
        Assert.InRange(seconds ?? 0, 1, 20);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("Host:RateLimits:SubmitPermitLimit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Discovery starts work too and shares the budget; reads and the open routes have their own or none.
        using var discover = await api.Http.PostAsync(new Uri("/" + ApiRoutes.Discover, UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.TooManyRequests, discover.StatusCode);
        string[] reads = ["/" + ApiRoutes.Jobs, "/" + ApiRoutes.Stats, "/" + ApiRoutes.Episodes, ApiRoutes.JobPath(Guid.NewGuid().ToString()), "/" + ApiRoutes.Health, "/" + ApiRoutes.OpenApiDocument];
        for (var round = 0; round < 10; round++)
        {
            foreach (var path in reads)
            {
                using var read = await GetAsync(api.Http, path);
                Assert.True(read.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)read.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Polling_OverItsOwnLimit_Returns429_WhileSubmitsGoOn()
    {
        using var api = await StartAsync(null, "--Host:RateLimits:PollingPermitLimit", "5");

        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests],
            await StatusesAsync(6, () => GetAsync(api.Http, "/" + ApiRoutes.Jobs)));
        using var submit = await SubmitUnknownAsync(api);
        Assert.Equal(HttpStatusCode.NotFound, submit.StatusCode);
        using var health = await GetAsync(api.Http, "/" + ApiRoutes.Health);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task WrongKeys_CountAgainstTheAddress_TheRightKeyHasItsOwnBudget()
    {
        const string key = "rate-limit-key";
        using var api = await StartAsync(key, "--Host:RateLimits:SubmitPermitLimit", "2");
        using var guesser = new ApiClient(_host!.BaseAddress, "guess");

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests],
            await StatusesAsync(3, () => SubmitUnknownAsync(guesser)));
        using var keyed = await SubmitUnknownAsync(api);
        Assert.Equal(HttpStatusCode.NotFound, keyed.StatusCode);
    }

    [Fact]
    public async Task Disabled_NothingIsLimited()
    {
        using var api = await StartAsync(null, "--Host:RateLimits:Enabled", "false", "--Host:RateLimits:SubmitPermitLimit", "1");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 5), await StatusesAsync(5, () => SubmitUnknownAsync(api)));
    }

    [Theory]
    [InlineData("SubmitPermitLimit", "0")]
    [InlineData("PollingWindowSeconds", "0")]
    public async Task BadSetting_StopsStartUp_NamingTheKey(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StandaloneHost.StartAsync([.. TestFolders.AsArgs(_folders.Settings(TestModel.Path)), "--port", "0", $"--Host:RateLimits:{setting}", value]));

        Assert.Contains($"Host:RateLimits:{setting}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300, 60, 200, 1)]
    [InlineData(3, 60, 20_000, 1)]
    [InlineData(6000, 60, 100, 10)]
    [InlineData(1_000_000_000, 1, 100, 100_000_000)]
    public void Bucket_RefillsTheLimitEvenlyOverTheWindow(int limit, int windowSeconds, int stepMs, int perStep)
    {
        var bucket = ApiRateLimits.Bucket(limit, windowSeconds);

        Assert.Equal((limit, TimeSpan.FromMilliseconds(stepMs), perStep, 0), (bucket.TokenLimit, bucket.ReplenishmentPeriod, bucket.TokensPerPeriod, bucket.QueueLimit));
    }
}
