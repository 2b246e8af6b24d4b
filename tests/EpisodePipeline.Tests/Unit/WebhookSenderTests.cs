using System.Text.Json;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Webhooks;
using EpisodePipeline.TestKit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The sender against a real receiver on loopback; signatures checked with the StandardWebhooks library's verifier.</summary>
public class WebhookSenderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _secret = WebhookPolicyTests.NewSecret();

    private static readonly WebhookPayload Completed = new()
    {
        Type = WebhookPayload.CompletedType,
        Timestamp = DateTimeOffset.UtcNow,
        JobId = "0b7e1c9a-5a5e-4b8e-9d59-2f9a4c0d7e11",
        Status = JobStatus.Completed,
        Result = new ProcessEpisodeResult
        {
            EpisodeId = "newsroom-clip",
            Stage = EpisodeStage.Transcribed,
            Duration = 4.25,
            Segments = 3,
            Artifacts = new Dictionary<string, string> { ["transcript"] = "episodes/newsroom-clip/transcript.json" },
        },
    };

    private IWebhookSender Sender(double timeoutSeconds = 15)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<PipelineOptions>().Configure(o =>
        {
            o.Webhook.Secret = _secret;
            o.Webhook.TimeoutSeconds = timeoutSeconds;
        });
        return services.AddWebhookDelivery().BuildServiceProvider().GetRequiredService<IWebhookSender>();
    }

    [Fact]
    public async Task Send_SignsTheBodyAsStandardWebhooks_TheLibraryVerifierAcceptsIt()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var id = WebhookPolicy.WebhookId(Completed.JobId);

        var response = await Sender().SendAsync(receiver.Url, id, Completed, CancellationToken.None);

        Assert.Equal(200, response.Status);
        var got = Assert.Single(await receiver.WaitForAsync(1, Timeout));
        Assert.Equal(id, got.Headers["webhook-id"].ToString());
        Assert.InRange(long.Parse(got.Headers["webhook-timestamp"].ToString()), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.StartsWith("v1,", got.Headers["webhook-signature"].ToString());
        Assert.StartsWith("application/json", got.Headers.ContentType.ToString());

        new StandardWebhook(_secret).Verify(got.Body, got.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookPolicyTests.NewSecret()).Verify(got.Body, got.Headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(_secret).Verify(got.Body.Replace("4.25", "5.25"), got.Headers));
        var replayed = new HeaderDictionary(got.Headers.ToDictionary(h => h.Key, h => h.Value)) { ["webhook-id"] = "job_other" };
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(_secret).Verify(got.Body, replayed));

        using var json = JsonDocument.Parse(got.Body);
        var root = json.RootElement;
        Assert.Equal(Completed.JobId, root.GetProperty("job_id").GetString());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("job.completed", root.GetProperty("type").GetString());
        Assert.Equal("newsroom-clip", root.GetProperty("result").GetProperty("episode_id").GetString());
        Assert.Equal("transcribed", root.GetProperty("result").GetProperty("stage").GetString());
        Assert.Equal(4.25, root.GetProperty("result").GetProperty("duration").GetDouble());
        Assert.False(root.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Send_FailedJob_CarriesStatusFailedAndTheError()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var failed = Completed with { Type = WebhookPayload.FailedType, Status = JobStatus.Failed, Error = "Whisper model not found at 'models/x.bin'." };

        await Sender().SendAsync(receiver.Url, "job_failed", failed, CancellationToken.None);

        var got = Assert.Single(await receiver.WaitForAsync(1, Timeout));
        new StandardWebhook(_secret).Verify(got.Body, got.Headers);
        using var json = JsonDocument.Parse(got.Body);
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(failed.Error, json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Send_RedirectToAnotherHost_IsNotFollowed()
    {
        await using var elsewhere = await WebhookReceiver.StartNewAsync();
        await using var receiver = new WebhookReceiver(_ => StatusCodes.Status307TemporaryRedirect)
        {
            RedirectTo = $"http://localhost:{elsewhere.Port}/stolen",
        };
        await receiver.StartAsync();

        var response = await Sender().SendAsync(receiver.Url, "job_redirect", Completed, CancellationToken.None);

        Assert.Equal(307, response.Status);
        Assert.Equal(receiver.RedirectTo, response.Location);
        Assert.Single(receiver.Received);
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task Send_ReceiverSlowerThanTheTimeout_ThrowsTimeoutNamingTheSetting()
    {
        await using var receiver = new WebhookReceiver { AnswerDelay = TimeSpan.FromSeconds(10) };
        await receiver.StartAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Sender(timeoutSeconds: 1).SendAsync(receiver.Url, "job_slow", Completed, CancellationToken.None));

        Assert.Contains("Pipeline:Webhook:TimeoutSeconds", error.Message);
    }

    [Fact]
    public async Task Send_ReceiverDown_ThrowsHttpRequestException()
    {
        await using var receiver = new WebhookReceiver();

        await Assert.ThrowsAsync<HttpRequestException>(() => Sender().SendAsync(receiver.Url, "job_down", Completed, CancellationToken.None));
    }
}
