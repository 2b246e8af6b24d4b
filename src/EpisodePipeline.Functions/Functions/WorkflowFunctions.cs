using EpisodePipeline.Activities;
using EpisodePipeline.Jobs;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Rendering;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EpisodePipeline.Functions.Functions;

/// <summary>
/// The workflow's orchestrator and activities as functions. Each is a one-line hand-off to the
/// host-agnostic class of the same name, so both hosts run the same code.
/// </summary>
public sealed class WorkflowFunctions(IServiceProvider services)
{
    [Function(nameof(ProcessEpisodeOrchestrator))]
    public Task<ProcessEpisodeResult> ProcessEpisode([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ProcessEpisodeOrchestrator().RunAsync(context, context.GetInput<ProcessEpisodeInput>()!);

    [Function(nameof(NightlyBatchOrchestrator))]
    public Task<BatchResult> NightlyBatch([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new NightlyBatchOrchestrator().RunAsync(context, context.GetInput<NightlyBatchInput>()!);

    [Function(nameof(PlanBatchActivity))]
    public Task<BatchPlan> PlanBatch([ActivityTrigger] PlanBatchInput input, FunctionContext function) =>
        Run<PlanBatchActivity, PlanBatchInput, BatchPlan>(input, function);

    /// <summary>The one activity that needs a Durable client: the Functions app has it as a binding, not as a service.</summary>
    [Function(nameof(ClaimEpisodeActivity))]
    public Task<EpisodeClaim> ClaimEpisode([ActivityTrigger] ClaimEpisodeInput input, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        ActivatorUtilities.CreateInstance<ClaimEpisodeActivity>(services, client).RunAsync(Context(function), input);

    [Function(nameof(PrepareTranscriptionActivity))]
    public Task<PrepareTranscriptionOutput> PrepareTranscription([ActivityTrigger] PrepareTranscriptionInput input, FunctionContext function) =>
        Run<PrepareTranscriptionActivity, PrepareTranscriptionInput, PrepareTranscriptionOutput>(input, function);

    [Function(nameof(ExtractAudioActivity))]
    public Task<ExtractAudioOutput> ExtractAudio([ActivityTrigger] ExtractAudioInput input, FunctionContext function) =>
        Run<ExtractAudioActivity, ExtractAudioInput, ExtractAudioOutput>(input, function);

    [Function(nameof(PlanSegmentsActivity))]
    public Task<SegmentPlan> PlanSegments([ActivityTrigger] PlanSegmentsInput input, FunctionContext function) =>
        Run<PlanSegmentsActivity, PlanSegmentsInput, SegmentPlan>(input, function);

    [Function(nameof(TranscribeSegmentActivity))]
    public Task<TranscribeSegmentOutput> TranscribeSegment([ActivityTrigger] TranscribeSegmentInput input, FunctionContext function) =>
        Run<TranscribeSegmentActivity, TranscribeSegmentInput, TranscribeSegmentOutput>(input, function);

    [Function(nameof(MergeTranscriptActivity))]
    public Task<ProcessEpisodeResult> MergeTranscript([ActivityTrigger] MergeTranscriptInput input, FunctionContext function) =>
        Run<MergeTranscriptActivity, MergeTranscriptInput, ProcessEpisodeResult>(input, function);

    [Function(nameof(PrepareEnrichmentActivity))]
    public Task<PrepareEnrichmentOutput> PrepareEnrichment([ActivityTrigger] PrepareEnrichmentInput input, FunctionContext function) =>
        Run<PrepareEnrichmentActivity, PrepareEnrichmentInput, PrepareEnrichmentOutput>(input, function);

    [Function(nameof(EnrichPartActivity))]
    public Task<EnrichPartOutput> EnrichPart([ActivityTrigger] EnrichPartInput input, FunctionContext function) =>
        Run<EnrichPartActivity, EnrichPartInput, EnrichPartOutput>(input, function);

    [Function(nameof(ReduceEnrichmentActivity))]
    public Task<EnrichOutcome> ReduceEnrichment([ActivityTrigger] ReduceEnrichmentInput input, FunctionContext function) =>
        Run<ReduceEnrichmentActivity, ReduceEnrichmentInput, EnrichOutcome>(input, function);
    [Function(nameof(RenderEpisodeActivity))]
    public Task<RenderOutcome> RenderEpisode([ActivityTrigger] RenderEpisodeInput input, FunctionContext function) =>
        Run<RenderEpisodeActivity, RenderEpisodeInput, RenderOutcome>(input, function);

    [Function(nameof(PrepareWebhookActivity))]
    public Task<WebhookPlan> PrepareWebhook([ActivityTrigger] WebhookNotification input, FunctionContext function) =>
        Run<PrepareWebhookActivity, WebhookNotification, WebhookPlan>(input, function);

    [Function(nameof(NotifyWebhookActivity))]
    public Task<WebhookAttempt> NotifyWebhook([ActivityTrigger] WebhookDelivery input, FunctionContext function) =>
        Run<NotifyWebhookActivity, WebhookDelivery, WebhookAttempt>(input, function);

    private Task<TOut> Run<TActivity, TIn, TOut>(TIn input, FunctionContext function)
        where TActivity : TaskActivity<TIn, TOut> =>
        services.GetRequiredService<TActivity>().RunAsync(Context(function), input);

    private static FunctionActivityContext Context(FunctionContext function)
    {
        var instanceId = function.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
        return new FunctionActivityContext(function.FunctionDefinition.Name, instanceId);
    }

    private sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
