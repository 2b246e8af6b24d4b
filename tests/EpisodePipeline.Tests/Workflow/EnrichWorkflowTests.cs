using System.Net;
using System.Text.Json;
using EpisodePipeline.Activities;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Orchestrations;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Workflow;

/// <summary>Runs only the Enrich steps, from a transcript.json the test writes, so these tests do not depend on the ProcessEpisode wiring.</summary>
public sealed record EnrichOnlyInput(string EpisodeId, bool Force);

public sealed class EnrichOnlyOrchestrator : TaskOrchestrator<EnrichOnlyInput, EnrichOutcome>
{
    public override Task<EnrichOutcome> RunAsync(TaskOrchestrationContext context, EnrichOnlyInput input) =>
        EnrichSteps.RunAsync(context, input.EpisodeId, input.Force, context.SetCustomStatus);
}

/// <summary>The Enrich activities and steps on Durable Task's in-process host against a fake Ollama that speaks the real protocol.</summary>
public class EnrichWorkflowTests : IAsyncLifetime
{
    private const string Episode = "newsroom-talk";
    private const string Model = "llama3.1:8b";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TestFolders _folders = new();
    private DurableTaskTestHost _host = null!;
    private FakeOllama _ollama = null!;

    public async Task InitializeAsync() => _ollama = await FakeOllama.StartAsync(Model);

    /// <summary>A transcript of <paramref name="seconds"/>, the episode in the catalog, and the host pointed at the fake.</summary>
    private async Task StartAsync(double seconds, int contextTokens = 8192, int parallel = 2, string? url = null)
    {
        TestTranscripts.Write(_folders.Data, Episode, seconds);
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Root"] = _folders.Root,
            ["Pipeline:DataFolder"] = "data",
            ["Pipeline:Whisper:ModelPath"] = "models/none.bin",
            ["Pipeline:Ollama:Url"] = url ?? _ollama.Url,
            ["Pipeline:Ollama:Model"] = Model,
            ["Pipeline:Ollama:ContextTokens"] = contextTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pipeline:Ollama:MaxParallelRequests"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pipeline:Ollama:Attempts"] = "3",
            ["Pipeline:Ollama:HttpRetries"] = "2",
            ["Pipeline:Ollama:RetryDelaySeconds"] = "0.05",
            ["Pipeline:Ollama:RequestTimeoutSeconds"] = "20",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks().AddOrchestrator<EnrichOnlyOrchestrator>(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddEpisodePipeline();
                },
            });

        var layout = _host.Services.GetRequiredService<DataLayout>();
        await AtomicFile.WriteJsonAsync(layout.CatalogPath, new List<Episode>
        {
            new() { Id = Episode, Title = "Newsroom talk", MediaPath = Path.Combine(_folders.Media, "talk.mp3"), Stage = EpisodeStage.Transcribed, DurationSeconds = seconds },
        });
    }

    private DataLayout Layout => _host.Services.GetRequiredService<DataLayout>();

    private async Task<string> ScheduleAsync(bool force = false) =>
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EnrichOnlyOrchestrator), new EnrichOnlyInput(Episode, force));

    private async Task<OrchestrationMetadata> CompletionAsync(string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private async Task<OrchestrationMetadata> RunAsync(bool force = false) => await CompletionAsync(await ScheduleAsync(force));

    private async Task<Enrichment> StoredAsync() => (await AtomicFile.ReadJsonAsync<Enrichment>(Layout.EnrichmentPath(Episode)))!;

    private static string Error(OrchestrationMetadata metadata) => JobStatusMapper.Map(metadata).Error ?? "";

    [Fact]
    public async Task Enrich_ShortTranscript_AsksOnceWithSchemaAndMarkers_AndStoresAValidatedEnrichment()
    {
        await StartAsync(300);

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var outcome = metadata.ReadOutputAs<EnrichOutcome>()!;
        Assert.Equal((1, false, Model), (outcome.Parts, outcome.Reused, outcome.Model));
        Assert.Equal($"episodes/{Episode}/enrichment.json", outcome.Artifacts[ArtifactKinds.Enrichment]);

        var chat = Assert.Single(_ollama.Chats);
        Assert.Equal(Model, chat.Model);
        Assert.False(chat.Stream);
        Assert.True(chat.Requires("chapters") && chat.Requires("quotes"), "format must be the final JSON schema");
        Assert.Equal(8192, chat.Options!["num_ctx"]!.GetValue<int>());
        Assert.Contains("[mm:ss]", chat.System);
        Assert.StartsWith("[00:00] In remark 1 ", chat.Material);
        Assert.Contains("\n[04:55] In remark 60 ", chat.Material);
        Assert.Equal(1, _ollama.TagsRequests);

        var stored = await StoredAsync();
        Assert.Equal((Episode, Model), (stored.EpisodeId, stored.Model));
        Assert.EndsWith("-p" + Services.Enrich.EnrichmentPrompts.Version, stored.Fingerprint);
        Assert.Equal(0, stored.Chapters[0].Start);
        Assert.All(stored.Chapters.Skip(1), c => Assert.InRange(c.Start, 1, 299));
        Assert.NotEmpty(stored.Keywords);
        Assert.NotEmpty(stored.Quotes);
        Assert.All(stored.Quotes, q =>
        {
            // "In remark N ..." is spoken from (N-1)*5 s.
            var n = int.Parse(q.Text.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal((n - 1) * 5.0, q.Start, 1);
        });

        var status = metadata.ReadCustomStatusAs<PipelineStatus>()!;
        Assert.Equal((JobPhase.Enriching, 80.0), (status.Phase, status.Progress));
        var episode = await _host.Services.GetRequiredService<EpisodeCatalog>().FindAsync(Episode, CancellationToken.None);
        Assert.Equal(EpisodeStage.Enriched, episode!.Stage);
        Assert.Equal(outcome.Artifacts[ArtifactKinds.Enrichment], episode.Artifacts[ArtifactKinds.Enrichment]);
    }

    [Fact]
    public async Task Enrich_JunkThenAGoodAnswer_AsksAgainTellingTheModelWhatWasWrong()
    {
        await StartAsync(300);
        _ollama.Enqueue(FakeReply.Answer("Sure! Here is the JSON you asked for: {\"title\": "));

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(2, _ollama.Chats.Count);
        var retry = _ollama.Chats[1].Messages;
        Assert.Equal(["system", "user", "assistant", "user"], retry.Select(m => m.Role));
        Assert.StartsWith("Sure! Here is the JSON", retry[2].Content);
        Assert.Contains("not valid JSON", retry[3].Content);
    }

    [Fact]
    public async Task Enrich_ChaptersOutOfOrderOrPastTheEnd_AreRejectedAndAskedAgain()
    {
        await StartAsync(300);
        _ollama.Enqueue(FakeReply.Answer(new
        {
            title = "T", description = "D", summary = "S", keywords = new[] { "k" },
            chapters = new[]
            {
                new { start = "00:00", title = "A", summary = "a" },
                new { start = "03:00", title = "B", summary = "b" },
                new { start = "01:30", title = "C", summary = "c" },
                new { start = "06:00", title = "D", summary = "d" },
            },
            quotes = new[] { new { text = "In remark 2 the host explains one more detail", at = "00:05" } },
        }));

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var correction = _ollama.Chats[1].Messages[^1].Content;
        Assert.Contains("chapter 3 starts at 01:30, not after the chapter before it (03:00)", correction);
        Assert.Contains("chapter 4 starts at 06:00, past the end of the episode (05:00)", correction);
        Assert.DoesNotContain((await StoredAsync()).Chapters, c => c.Title is "C" or "D");
    }

    [Fact]
    public async Task Enrich_QuoteNotInTheTranscript_IsRejectedAndAskedAgain()
    {
        await StartAsync(300);
        _ollama.Enqueue(FakeReply.Answer(new
        {
            title = "T", description = "D", summary = "S", keywords = new[] { "k" },
            chapters = new[] { new { start = "00:00", title = "A", summary = "a" } },
            quotes = new[] { new { text = "Cloud software is dead and everyone knows it.", at = "01:00" } },
        }));

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Contains("quote 1 (\"Cloud software is dead and everyone knows it.\") does not occur in the transcript", _ollama.Chats[1].Messages[^1].Content);
        Assert.DoesNotContain((await StoredAsync()).Quotes, q => q.Text.Contains("Cloud", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enrich_AlwaysJunk_FailsNamingTheProblem_KeepsTheTranscript_AndANewJobStartsFromIt()
    {
        await StartAsync(300);
        var transcript = await File.ReadAllBytesAsync(Layout.TranscriptPath(Episode));
        _ollama.Respond = _ => FakeReply.Answer("{\"title\": 42}");

        var failed = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        var error = Error(failed);
        Assert.Contains("no valid enrichment in 3 attempt(s)", error);
        Assert.Contains("\"title\" must be a string", error);
        Assert.Equal(3, _ollama.Chats.Count); // the attempts from config, not retried again by the orchestration
        Assert.Equal(JobPhase.Enriching, JobStatusMapper.Map(failed).CurrentStage);
        Assert.Equal(transcript, await File.ReadAllBytesAsync(Layout.TranscriptPath(Episode)));
        Assert.False(File.Exists(Layout.EnrichmentPath(Episode)));

        _ollama.Respond = r => FakeReply.Answer(PlausibleAnswers.For(r));
        var again = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, again.RuntimeStatus);
        Assert.Equal(4, _ollama.Chats.Count);
        Assert.Equal(transcript, await File.ReadAllBytesAsync(Layout.TranscriptPath(Episode)));
    }

    [Fact]
    public async Task Enrich_ServerDown_FailsAfterTheRetriesSayingOllamaDoesNotAnswer()
    {
        await StartAsync(300);
        _ollama.Down = true;

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains($"Ollama does not answer at {_ollama.Url}", Error(metadata));
        Assert.Contains("ollama serve", Error(metadata));
        Assert.Equal(3, _ollama.Dropped); // one request and HttpRetries (2) retries
        Assert.Empty(_ollama.Chats);
    }

    [Fact]
    public async Task Enrich_NothingListening_FailsAfterTheRetries()
    {
        await using var gone = await FakeOllama.StartAsync(Model);
        var url = gone.Url;
        await gone.DisposeAsync();
        await StartAsync(300, url: url);

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains($"Ollama does not answer at {url}", Error(metadata));
    }

    [Fact]
    public async Task Enrich_ModelNotPulled_FailsAtOnceWithThePullCommand()
    {
        _ollama.Models.Clear();
        _ollama.Models.Add("qwen2.5:7b");
        await StartAsync(300);

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains($"model {Model} is not pulled", Error(metadata));
        Assert.Contains($"run `ollama pull {Model}`", Error(metadata));
        Assert.Equal(1, _ollama.TagsRequests);
        Assert.Empty(_ollama.Chats);
    }

    [Fact]
    public async Task Enrich_SixtyMinutesOn8kContext_MapsPartsInParallelWithProgress_ThenReduces()
    {
        await StartAsync(3600, contextTokens: 8192, parallel: 2);
        _ollama.Hold();

        var id = await ScheduleAsync();

        // Two map calls in flight (the configured limit), none answered yet.
        await Poll.UntilAsync(() => Task.FromResult(_ollama.Chats.Count), n => n == 2, Timeout, "two map calls");
        var first = await StatusAsync(id, s => s.Message.StartsWith("Analysing part 1/", StringComparison.Ordinal), "part 1 status");
        Assert.Equal(40, first.Progress);
        await Task.Delay(300);
        Assert.Equal(2, _ollama.Chats.Count);

        _ollama.Release();
        var second = await StatusAsync(id, s => s.Message.StartsWith("Analysing part 2/", StringComparison.Ordinal), "part 2 status");
        Assert.True(second.Progress > 40, $"progress {second.Progress}");
        Assert.NotNull(second.EtaSeconds);
        _ollama.OpenFully();

        var metadata = await CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var outcome = metadata.ReadOutputAs<EnrichOutcome>()!;
        Assert.InRange(outcome.Parts, 2, 6);
        var chats = _ollama.Chats;
        var maps = chats.Where(c => !c.Requires("title")).ToList();
        Assert.Equal(outcome.Parts, maps.Count);
        Assert.Equal(outcome.Parts + 1, chats.Count);

        // Every line of the transcript went to exactly one map call, each within the context.
        var lines = maps.SelectMany(c => c.Material.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(720, lines.Count);
        Assert.Equal(720, lines.Distinct().Count());
        Assert.All(maps, c => Assert.True((c.System.Length + c.Material.Length) / 4 + 1024 <= 8192, $"map call of {c.Material.Length} chars"));
        Assert.All(maps, c => Assert.Equal(1024, c.Options!["num_predict"]!.GetValue<int>()));

        var reduce = chats.Single(c => c.Requires("title"));
        Assert.Equal(outcome.Parts, reduce.Material.Split("Part from ").Length - 1);
        Assert.DoesNotContain("In remark 300 the host", reduce.Material.Split('\n').Where(l => l.StartsWith('[')));
        for (var i = 0; i < outcome.Parts; i++)
        {
            Assert.True(File.Exists(Layout.EnrichmentPartPath(Episode, i)), $"notes of part {i}");
        }

        var stored = await StoredAsync();
        Assert.Equal(0, stored.Chapters[0].Start);
        Assert.True(stored.Chapters.Count > 1);
        Assert.All(stored.Chapters, c => Assert.InRange(c.Start, 0, 3599));
        Assert.True(stored.Quotes.Count > 1);
    }

    [Fact]
    public async Task Enrich_ThreeHoursOn4kContext_CombinesNotesThatDoNotFitOneReduceCall()
    {
        await StartAsync(3 * 3600, contextTokens: 4096, parallel: 4);

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var parts = metadata.ReadOutputAs<EnrichOutcome>()!.Parts;
        var chats = _ollama.Chats;
        var combines = chats.Where(c => c.System.Contains("Combine them into one set of notes", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(combines);
        Assert.Equal(parts + combines.Count + 1, chats.Count);
        Assert.All(chats, c => Assert.True((c.System.Length + c.Material.Length) / 4 + c.Options!["num_predict"]!.GetValue<int>() <= 4096, $"call of {c.Material.Length} chars"));
        var reduce = chats.Single(c => c.Requires("title"));
        Assert.Equal(combines.Count, reduce.Material.Split("Part from ").Length - 1);
        Assert.Equal(0, (await StoredAsync()).Chapters[0].Start);
    }

    [Fact]
    public async Task Enrich_TransientServerError_IsRetriedByTheHttpPipeline()
    {
        await StartAsync(300);
        _ollama.Enqueue(FakeReply.Fail(HttpStatusCode.ServiceUnavailable, "server busy"));

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(2, _ollama.Chats.Count);
    }

    [Fact]
    public async Task Enrich_PermanentError_FailsWithoutRetrying()
    {
        await StartAsync(300);
        _ollama.Enqueue(FakeReply.Fail(HttpStatusCode.BadRequest, "invalid JSON schema in format"));

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains("refused the request: invalid JSON schema in format", Error(metadata));
        Assert.Single(_ollama.Chats);
    }

    [Fact]
    public async Task Enrich_SameTranscriptModelAndPrompts_IsReusedUnlessForced()
    {
        await StartAsync(300);
        var first = await RunAsync();
        var created = (await StoredAsync()).CreatedAt;

        var reused = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, reused.RuntimeStatus);
        Assert.True(reused.ReadOutputAs<EnrichOutcome>()!.Reused);
        Assert.Contains("Reused", reused.ReadCustomStatusAs<PipelineStatus>()!.Message);
        Assert.Single(_ollama.Chats);
        Assert.Equal(created, (await StoredAsync()).CreatedAt);
        Assert.Equal(first.ReadOutputAs<EnrichOutcome>()!.Chapters, reused.ReadOutputAs<EnrichOutcome>()!.Chapters);

        var forced = await RunAsync(force: true);

        Assert.False(forced.ReadOutputAs<EnrichOutcome>()!.Reused);
        Assert.Equal(2, _ollama.Chats.Count);
    }

    [Fact]
    public async Task Enrich_NoTranscript_FailsSayingToTranscribeFirst()
    {
        await StartAsync(300);
        File.Delete(Layout.TranscriptPath(Episode));

        var metadata = await RunAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains("has no transcript", Error(metadata));
        Assert.Equal(0, _ollama.TagsRequests);
    }

    private async Task<PipelineStatus> StatusAsync(string id, Func<PipelineStatus, bool> until, string what) =>
        await Poll.UntilAsync(
            async () => (await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<PipelineStatus>() ?? new PipelineStatus { Phase = JobPhase.Queued, Message = "" },
            until, Timeout, what);

    public async Task DisposeAsync()
    {
        _ollama.OpenFully();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _ollama.DisposeAsync();
        _folders.Dispose();
    }
}
