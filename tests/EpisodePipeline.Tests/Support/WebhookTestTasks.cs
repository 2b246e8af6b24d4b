using EpisodePipeline.Jobs;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Webhooks;
using Microsoft.DurableTask;

namespace EpisodePipeline.Tests.Support;

/// <summary>A job's last step on its own: the test-only orchestrator runs <see cref="NotifySteps"/> exactly as a job does.</summary>
public sealed class NotifyOnlyOrchestrator : TaskOrchestrator<WebhookNotification, WebhookOutcome>
{
    public override Task<WebhookOutcome> RunAsync(TaskOrchestrationContext context, WebhookNotification input) =>
        NotifySteps.RunAsync(context, input);
}

/// <summary>Counts the attempts that reached the sender, so a test can bring the receiver up after the first ones.</summary>
internal sealed class CountingSender(IWebhookSender inner) : IWebhookSender
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<WebhookResponse> SendAsync(Uri url, string webhookId, WebhookPayload payload, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.SendAsync(url, webhookId, payload, cancellationToken);
    }
}
