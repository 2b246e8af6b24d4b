using EpisodePipeline.Host;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Webhooks;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using EpisodePipeline.Tests.Unit;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// Webhook retries on the standalone host's Azure Storage backend (real Azurite): the host stops while the
/// step waits between attempts, a new host on the same task hub picks the schedule up and the count goes on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class WebhookRestartTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    // The stopped host may have held the orchestration's control-queue message: it comes back after the
    // sidecar's one-minute ControlQueueVisibilityTimeout (DEVELOPERS.md), so a run takes about 75 s here.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private readonly TestFolders _folders = new();
    private readonly string _secret = WebhookPolicyTests.NewSecret();

    private string[] Args() =>
    [
        .. TestFolders.AsArgs(_folders.Settings("models/none.bin")),
        "--backend", "AzureStorage", "--storage", azurite.ConnectionString, "--task-hub", "WebhookRestart", "--port", "0",
        "--Pipeline:Webhook:Secret", _secret,
        "--Pipeline:Webhook:MaxAttempts", "20",
        "--Pipeline:Webhook:FirstRetrySeconds", "1",
        "--Pipeline:Webhook:BackoffCoefficient", "1.5",
        "--Pipeline:Webhook:MaxRetrySeconds", "3",
        "--Logging:LogLevel:Default", "Warning",
    ];

    // The test-only orchestrator next to the job's own, and a sender that counts what reached it.
    private static void Register(IServiceCollection services)
    {
        services.Configure<DurableTaskRegistry>(r => r.AddOrchestrator<NotifyOnlyOrchestrator>());
        services.AddSingleton(sp => new CountingSender(ActivatorUtilities.CreateInstance<WebhookSender>(sp)));
        services.AddSingleton<IWebhookSender>(sp => sp.GetRequiredService<CountingSender>());
    }

    [Fact]
    public async Task Notify_HostRestartsBetweenAttempts_RetriesResumeAndDeliver()
    {
        await using var receiver = new WebhookReceiver();
        var notification = WebhookNotification.Completed(receiver.Url.ToString(), Guid.NewGuid().ToString(), new ProcessEpisodeResult
        {
            EpisodeId = "newsroom-clip",
            Stage = EpisodeStage.Transcribed,
            Duration = 12.5,
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int before;
        await using (var first = await StandaloneHost.StartAsync(Args(), Register))
        {
            await first.Services.GetRequiredService<DurableTaskClient>().ScheduleNewOrchestrationInstanceAsync(
                nameof(NotifyOnlyOrchestrator), notification, new StartOrchestrationOptions(notification.JobId));
            var sender = first.Services.GetRequiredService<CountingSender>();
            before = await Poll.UntilAsync(() => Task.FromResult(sender.Calls), calls => calls >= 2, Timeout, "two attempts before the restart");
        }

        output.WriteLine($"{clock.Elapsed}: first host stopped after {before} attempts");
        await receiver.StartAsync();
        await using var second = await StandaloneHost.StartAsync(Args(), Register);
        using var cts = new CancellationTokenSource(Timeout);
        var metadata = await second.Services.GetRequiredService<DurableTaskClient>()
            .WaitForInstanceCompletionAsync(notification.JobId, getInputsAndOutputs: true, cts.Token);

        output.WriteLine($"{clock.Elapsed}: completed");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var outcome = metadata.ReadOutputAs<WebhookOutcome>()!;
        Assert.True(outcome.Delivered, outcome.LastError);
        var after = second.Services.GetRequiredService<CountingSender>().Calls;
        Assert.True(after >= 1, "the restarted host made no attempt");

        // Attempts go on counting from before the restart. One in flight at the stop may never have reported,
        // so the count lies between the attempts that reported before the stop plus those after it, and all calls.
        Assert.InRange(outcome.Attempts, before, before + after);
        Assert.True(outcome.Attempts >= 2, $"attempts {outcome.Attempts}");
        var got = Assert.Single(receiver.Received);
        new StandardWebhook(_secret).Verify(got.Body, got.Headers);
        Assert.Equal(outcome.WebhookId, got.Headers["webhook-id"].ToString());
    }

    public void Dispose() => _folders.Dispose();
}
