using System.Globalization;
using System.Text.Json;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Webhooks;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>NotifySteps and its activities on Durable Task's in-process test host against a real receiver on loopback.</summary>
public class NotifyWebhookWorkflowTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestFolders _folders = new();
    private readonly string _secret = Unit.WebhookPolicyTests.NewSecret();
    private DurableTaskTestHost? _host;
    private CountingSender _sender = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartHostAsync(int maxAttempts = 4, params (string Key, string Value)[] extra)
    {
        var settings = _folders.Settings("models/none.bin");
        settings["Pipeline:Webhook:Secret"] = _secret;
        settings["Pipeline:Webhook:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture);
        settings["Pipeline:Webhook:FirstRetrySeconds"] = "0.2";
        settings["Pipeline:Webhook:BackoffCoefficient"] = "2";
        settings["Pipeline:Webhook:MaxRetrySeconds"] = "1";
        settings["Pipeline:Webhook:TimeoutSeconds"] = "5";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks().AddOrchestrator<NotifyOnlyOrchestrator>(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddSingleton(sp => new CountingSender(ActivatorUtilities.CreateInstance<WebhookSender>(sp)));
                    services.AddSingleton<IWebhookSender>(sp => sp.GetRequiredService<CountingSender>());
                    services.AddEpisodePipeline();
                },
            });
        _sender = _host.Services.GetRequiredService<CountingSender>();
    }

    private static ProcessEpisodeResult Transcribed => new()
    {
        EpisodeId = "newsroom-clip",
        Stage = EpisodeStage.Transcribed,
        Duration = 30.2,
        Segments = 7,
        Artifacts = new Dictionary<string, string> { [ArtifactKinds.Transcript] = "episodes/newsroom-clip/transcript.json" },
    };

    private async Task<(OrchestrationMetadata Job, WebhookOutcome Outcome)> NotifyAsync(WebhookNotification notification)
    {
        var id = await _host!.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(NotifyOnlyOrchestrator), notification, new StartOrchestrationOptions(notification.JobId));
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        return (metadata, metadata.ReadOutputAs<WebhookOutcome>()!);
    }

    private static WebhookNotification Completed(Uri url) => WebhookNotification.Completed(url.ToString(), Guid.NewGuid().ToString(), Transcribed);

    private void AssertVerifies(ReceivedWebhook got) => new StandardWebhook(_secret).Verify(got.Body, got.Headers);

    [Fact]
    public async Task Notify_CompletedJob_DeliversOnceWithASignatureTheLibraryVerifies()
    {
        await StartHostAsync();
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var notification = Completed(receiver.Url);

        var (_, outcome) = await NotifyAsync(notification);

        Assert.Equal((true, 1, 200, (string?)null), (outcome.Delivered, outcome.Attempts, outcome.LastStatus, outcome.LastError));
        Assert.Equal($"job_{notification.JobId}", outcome.WebhookId);
        var got = Assert.Single(receiver.Received);
        AssertVerifies(got);
        Assert.Equal(outcome.WebhookId, got.Headers["webhook-id"].ToString());
        using var json = JsonDocument.Parse(got.Body);
        Assert.Equal(notification.JobId, json.RootElement.GetProperty("job_id").GetString());
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("result").GetProperty("segments").GetInt32());
    }

    [Fact]
    public async Task Notify_ReceiverFailsTheFirstAttempts_DeliveredLaterWithTheSameIdAndBody()
    {
        await StartHostAsync(maxAttempts: 5);
        await using var receiver = await WebhookReceiver.StartNewAsync(n => n <= 2 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent);

        var (_, outcome) = await NotifyAsync(Completed(receiver.Url));

        Assert.Equal((true, 3, 204), (outcome.Delivered, outcome.Attempts, outcome.LastStatus));
        var got = receiver.Received;
        Assert.Equal([503, 503, 204], got.Select(r => r.Answer));
        Assert.Single(got.Select(r => r.Headers["webhook-id"].ToString()).Distinct());
        Assert.Single(got.Select(r => r.Body).Distinct());
        Assert.All(got, AssertVerifies);
    }

    [Fact]
    public async Task Notify_ReceiverDownAtFirst_DeliveredAfterItComesUp()
    {
        await StartHostAsync(maxAttempts: 20);
        await using var receiver = new WebhookReceiver();
        var notification = Completed(receiver.Url);
        await _host!.Client.ScheduleNewOrchestrationInstanceAsync(nameof(NotifyOnlyOrchestrator), notification, new StartOrchestrationOptions(notification.JobId));

        await Poll.UntilAsync(() => Task.FromResult(_sender.Calls), calls => calls >= 2, Timeout, "two attempts against the receiver while it is down");
        await receiver.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await _host.Client.WaitForInstanceCompletionAsync(notification.JobId, getInputsAndOutputs: true, cts.Token);

        var outcome = metadata.ReadOutputAs<WebhookOutcome>()!;
        Assert.True(outcome.Delivered, outcome.LastError);
        // At least the first attempt met a closed port; the second may race the receiver's start.
        Assert.True(outcome.Attempts >= 2, $"delivered at attempt {outcome.Attempts}");
        Assert.Equal(_sender.Calls, outcome.Attempts);
        AssertVerifies(Assert.Single(receiver.Received));
    }

    [Fact]
    public async Task Notify_ReceiverAlwaysDown_CompletesAndTheOutcomeSaysNotDelivered()
    {
        await StartHostAsync(maxAttempts: 3);
        await using var receiver = new WebhookReceiver();

        var (job, outcome) = await NotifyAsync(Completed(receiver.Url));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, job.RuntimeStatus);
        Assert.Equal((false, 3, (int?)null), (outcome.Delivered, outcome.Attempts, outcome.LastStatus));
        Assert.Contains($"127.0.0.1:{receiver.Port}", outcome.LastError);
        Assert.Equal(3, _sender.Calls);
    }

    [Fact]
    public async Task Notify_ReceiverAlwaysAnswers500_OutcomeHasTheLastStatus()
    {
        await StartHostAsync(maxAttempts: 3);
        await using var receiver = await WebhookReceiver.StartNewAsync(_ => StatusCodes.Status500InternalServerError);

        var (_, outcome) = await NotifyAsync(Completed(receiver.Url));

        Assert.Equal((false, 3, (int?)500), (outcome.Delivered, outcome.Attempts, outcome.LastStatus));
        Assert.StartsWith("HTTP 500", outcome.LastError);
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task Notify_FailedJob_PayloadCarriesTheErrorAndTheEpisode()
    {
        await StartHostAsync();
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var notification = WebhookNotification.Failed(receiver.Url.ToString(), Guid.NewGuid().ToString(), "newsroom-clip", "Media file of episode 'newsroom-clip' is gone.");

        var (_, outcome) = await NotifyAsync(notification);

        Assert.True(outcome.Delivered);
        var got = Assert.Single(receiver.Received);
        AssertVerifies(got);
        using var json = JsonDocument.Parse(got.Body);
        var root = json.RootElement;
        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Equal("job.failed", root.GetProperty("type").GetString());
        Assert.Equal(notification.Error, root.GetProperty("error").GetString());
        Assert.Equal("newsroom-clip", root.GetProperty("result").GetProperty("episode_id").GetString());
        Assert.Equal("discovered", root.GetProperty("result").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Notify_ReceiverAnswers410Gone_StopsAfterOneAttempt()
    {
        await StartHostAsync(maxAttempts: 5);
        await using var receiver = await WebhookReceiver.StartNewAsync(_ => StatusCodes.Status410Gone);

        var (_, outcome) = await NotifyAsync(Completed(receiver.Url));

        Assert.Equal((false, 1, (int?)410), (outcome.Delivered, outcome.Attempts, outcome.LastStatus));
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Notify_HostNotOnTheAllowList_NoAttemptAndTheOutcomeSaysWhy()
    {
        await StartHostAsync(extra: ("Pipeline:Webhook:AllowedHosts:0", "n8n.example.com"));
        await using var receiver = await WebhookReceiver.StartNewAsync();

        var (_, outcome) = await NotifyAsync(Completed(receiver.Url));

        Assert.Equal((false, 0), (outcome.Delivered, outcome.Attempts));
        Assert.Contains("Pipeline:Webhook:AllowedHosts", outcome.LastError);
        Assert.Empty(receiver.Received);
        Assert.Equal(0, _sender.Calls);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _folders.Dispose();
    }
}
