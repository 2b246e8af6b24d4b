using System.Security.Cryptography;
using EpisodePipeline.Activities;
using EpisodePipeline.Http;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class WebhookPolicyTests
{
    private static readonly WebhookOptions Open = new();

    private static readonly WebhookOptions Listed = new() { AllowedHosts = ["n8n.example.com", "*.hooks.example.org", "127.0.0.1", "[::1]"] };

    public static string NewSecret(int bytes = 32) => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

    [Theory]
    [InlineData("hooks/episodes")]
    [InlineData("/hooks/episodes")]
    [InlineData("ftp://n8n.example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:password@n8n.example.com/hook")]
    [InlineData("")]
    [InlineData(null)]
    public void CheckUrl_NotAnAbsoluteHttpUrlWithoutUserInfo_IsRefused(string? url)
    {
        Assert.NotNull(WebhookPolicy.CheckUrl(url, Open));
    }

    [Theory]
    [InlineData("https://n8n.example.com/webhook/episodes")]
    [InlineData("http://127.0.0.1:5678/webhook-test/abc")]
    public void CheckUrl_AbsoluteHttpUrl_NoAllowList_IsAccepted(string url)
    {
        Assert.Null(WebhookPolicy.CheckUrl(url, Open));
    }

    [Theory]
    [InlineData("https://N8N.Example.com/webhook/x")]
    [InlineData("http://a.hooks.example.org/x")]
    [InlineData("http://deep.a.hooks.example.org:8080/x")]
    [InlineData("http://127.0.0.1:5678/x")]
    [InlineData("http://[::1]:5678/x")]
    public void CheckUrl_HostOnTheAllowList_IsAccepted(string url)
    {
        Assert.Null(WebhookPolicy.CheckUrl(url, Listed));
    }

    [Theory]
    [InlineData("https://evil.example.net/x")]
    [InlineData("https://n8n.example.com.evil.net/x")]
    [InlineData("https://hooks.example.org/x")]
    [InlineData("https://xhooks.example.org/x")]
    [InlineData("http://localhost:5678/x")]
    public void CheckUrl_HostNotOnTheAllowList_IsRefusedNamingTheSetting(string url)
    {
        Assert.Contains("Pipeline:Webhook:AllowedHosts", WebhookPolicy.CheckUrl(url, Listed));
    }

    [Fact]
    public void CheckReady_NoSecret_RefusesAndSaysHowToMakeOne()
    {
        var problem = WebhookPolicy.CheckReady(new WebhookOptions());

        Assert.Contains("Pipeline:Webhook:Secret", problem);
        Assert.Contains("openssl rand -base64 32", problem);
        Assert.Null(WebhookPolicy.CheckReady(new WebhookOptions { Secret = NewSecret() }));
    }

    [Fact]
    public void WebhookId_IsStablePerJob_AndNeverContainsADot()
    {
        var job = Guid.NewGuid().ToString();

        Assert.Equal($"job_{job}", WebhookPolicy.WebhookId(job));
        Assert.Equal(WebhookPolicy.WebhookId(job), WebhookPolicy.WebhookId(job));
        Assert.NotEqual(WebhookPolicy.WebhookId(job), WebhookPolicy.WebhookId(Guid.NewGuid().ToString()));
        var odd = WebhookPolicy.WebhookId("a.b c");
        Assert.DoesNotContain('.', odd);
        Assert.Equal(odd, WebhookPolicy.WebhookId("a.b c"));
    }

    [Fact]
    public void Secret_StandardWebhooksForm_IsAccepted_OthersAreExplained()
    {
        Assert.Null(WebhookSecret.Problem(""));
        Assert.Null(WebhookSecret.Problem(NewSecret(24)));
        Assert.Null(WebhookSecret.Problem(NewSecret(64)));
        Assert.Null(WebhookSecret.Problem(NewSecret()["whsec_".Length..]));
        Assert.Contains("base64", WebhookSecret.Problem("whsec_not base64!"));
        Assert.Contains("16 bytes", WebhookSecret.Problem(NewSecret(16)));
    }

    [Fact]
    public void RetryDelay_GrowsExponentially_UpToTheCap()
    {
        var retry = new WebhookRetry(MaxAttempts: 7, FirstRetrySeconds: 5, BackoffCoefficient: 2, MaxRetrySeconds: 60);

        Assert.Equal([5.0, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(n => retry.DelayAfter(n).TotalSeconds));
    }

    [Theory]
    [InlineData("HTTP 503 (ServiceUnavailable) from 127.0.0.1:80", 503)]
    [InlineData("HTTP 307 (TemporaryRedirect) from h: redirect to 'x' not followed", 307)]
    [InlineData("127.0.0.1:9: Connection refused (127.0.0.1:9)", null)]
    [InlineData(null, null)]
    public void StatusOf_ReadsTheStatusAFailureMessageStartsWith(string? message, int? status)
    {
        Assert.Equal(status, WebhookDeliveryException.StatusOf(message));
    }

    [Theory]
    [InlineData("Pipeline:Webhook:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Pipeline:Webhook:TimeoutSeconds", "0", "TimeoutSeconds")]
    [InlineData("Pipeline:Webhook:FirstRetrySeconds", "120", "Pipeline:Webhook:MaxRetrySeconds (60) must not be less than")]
    [InlineData("Pipeline:Webhook:Secret", "whsec_c2hvcnQ=", "Pipeline:Webhook:Secret holds 5 bytes")]
    [InlineData("Pipeline:Webhook:AllowedHosts:0", "https://n8n.example.com/hook", "Pipeline:Webhook:AllowedHosts:0")]
    public void Options_BadWebhookSetting_FailsAtStartNamingTheKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, (string?)value)]).Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddEpisodePipeline()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains(expected, error.Message);
    }
}
