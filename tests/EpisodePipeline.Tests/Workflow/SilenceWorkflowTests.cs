using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>Long silence before speech: silent slices never reach Whisper and the merge does not chain segments across them.</summary>
public class SilenceWorkflowTests : IAsyncLifetime
{
    private readonly TestFolders _folders = new();
    private DurableTaskTestHost _host = null!;

    public async Task InitializeAsync()
    {
        // 236 s of digital silence, then about 7 s of speech.
        _folders.AddMedia(await OddMedia.SilenceThenSpeechAsync(), "quiet/intro.mp3");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(_folders.Settings(TestModel.Path, segmentSeconds: 60, overlapSeconds: 2, parallel: 2))
            .Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddSingleton<GatedTranscriber>();
                    services.AddSingleton<ITranscriber>(sp => sp.GetRequiredService<GatedTranscriber>());
                    services.AddEpisodePipeline();
                },
            });
        await _host.Services.GetRequiredService<EpisodeCatalog>().DiscoverAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SilenceThenSpeech_OnlyTheSliceWithSpeechIsTranscribed_AndNoSegmentSpansTheSilence()
    {
        var transcriber = _host.Services.GetRequiredService<GatedTranscriber>();
        transcriber.OpenFully();

        var id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ProcessEpisodeOrchestrator), new ProcessEpisodeInput("quiet-intro", EpisodeStage.Transcribed, false, null));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var done = await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // 243 s in four balanced slices of about 61 s: the three that hold only silence are skipped.
        // Each slice's segments, and beside them the key a later job reuses them by.
        var segments = Path.Combine(_folders.Data, "episodes", "quiet-intro", "segments");
        Assert.Equal((4, 4), (Directory.GetFiles(segments, "*.json").Length, Directory.GetFiles(segments, "*.json.key").Length));
        Assert.Equal(1, transcriber.Started);
        var transcript = await AtomicFile.ReadJsonAsync<Transcript>(Path.Combine(_folders.Data, "episodes", "quiet-intro", "transcript.json"));
        Assert.NotNull(transcript);
        Assert.All(transcript.Segments, s =>
        {
            Assert.True(s.Start >= 175, $"segment {s.Start}-{s.End} lies in the silence");
            Assert.True(s.End - s.Start <= 64, $"segment {s.Start}-{s.End} is longer than a slice");
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folders.Dispose();
    }
}
