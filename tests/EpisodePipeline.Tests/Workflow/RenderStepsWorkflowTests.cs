using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Rendering;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary><see cref="RenderSteps"/> inside a real orchestration on Durable Task's in-process test host, as ProcessEpisode will call it.</summary>
public sealed class RenderStepsWorkflowTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TestFolders _folders = new();
    private DurableTaskTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _folders.AddMedia(await TestMedia.SpeechVideoAsync(30), "newsroom/clip.mp4");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_folders.Settings("models/unused.bin")).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks().AddOrchestrator<RenderOnlyOrchestrator>(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddEpisodePipeline();
                },
            });
        await _host.Services.GetRequiredService<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folders.Dispose();
    }

    private async Task<OrchestrationMetadata> RunAsync(string episodeId)
    {
        var id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RenderOnlyOrchestrator), episodeId);
        using var cts = new CancellationTokenSource(Timeout);
        return await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    [Fact]
    public async Task RenderSteps_PublishesThePageAndEndsTheRenderingBandAt95()
    {
        await SampleEpisode.WriteAsync(_host.Services.GetRequiredService<DataLayout>(), "newsroom-clip", 30);

        var metadata = await RunAsync("newsroom-clip");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var outcome = metadata.ReadOutputAs<RenderOutcome>()!;
        Assert.Equal("/site/episodes/newsroom-clip/", outcome.PageUrl);
        Assert.True(File.Exists(Path.Combine(_folders.Root, "output", outcome.Files[RenderedFiles.Page])));
        var status = metadata.ReadCustomStatusAs<PipelineStatus>()!;
        Assert.Equal((JobPhase.Rendering, 95.0), (status.Phase, status.Progress));
        Assert.Contains("10 transcript segments and 3 chapters", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderSteps_NoTranscript_FailsWithWhatToDo()
    {
        var metadata = await RunAsync("newsroom-clip");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains("has no transcript", metadata.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>The Render part alone, reporting progress the way ProcessEpisode does.</summary>
    private sealed class RenderOnlyOrchestrator : TaskOrchestrator<string, RenderOutcome>
    {
        public override Task<RenderOutcome> RunAsync(TaskOrchestrationContext context, string input) =>
            RenderSteps.RunAsync(context, input, context.SetCustomStatus);
    }
}
