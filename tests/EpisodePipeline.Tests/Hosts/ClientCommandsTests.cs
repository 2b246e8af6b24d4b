using System.Text.Json;
using EpisodePipeline.Host;
using EpisodePipeline.Host.Commands;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Spectre.Console.Testing;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// Two standalone host processes for the client: a healthy one (tiny model, the fake Ollama, one spoken clip) and one
/// whose model is missing (same clip), so its jobs fail at once.
/// </summary>
public sealed class ClientHostsFixture : IAsyncLifetime
{
    public const string EpisodeId = "newsroom-2024-bb_test";
    public const string OllamaModel = "llama3.1:8b";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public TestFolders HealthyFolders { get; } = new();

    public TestFolders BrokenFolders { get; } = new();

    public FakeOllama Ollama { get; private set; } = null!;

    public HostProcess Healthy { get; private set; } = null!;

    public HostProcess WithoutModel { get; private set; } = null!;

    public string MissingModel => Path.Combine(BrokenFolders.Root, "models", "ggml-missing.bin");

    public string[] OllamaArgs => ["--Pipeline:Ollama:Url", Ollama.Url, "--Pipeline:Ollama:Model", OllamaModel];

    public async Task InitializeAsync()
    {
        var clip = await TestMedia.SpeechVideoAsync(10);
        HealthyFolders.AddMedia(clip, "newsroom-2024/bb_test.mp4");
        BrokenFolders.AddMedia(clip, "newsroom-2024/bb_test.mp4");
        Ollama = await FakeOllama.StartAsync(OllamaModel);
        var healthy = HostProcess.StartAsync([.. TestFolders.AsArgs(HealthyFolders.Settings(TestModel.Path)), .. OllamaArgs], StartTimeout);
        var broken = HostProcess.StartAsync(TestFolders.AsArgs(BrokenFolders.Settings(MissingModel)), StartTimeout);
        Healthy = await healthy;
        WithoutModel = await broken;
    }

    public async Task DisposeAsync()
    {
        await Healthy.DisposeAsync();
        await WithoutModel.DisposeAsync();
        await Ollama.DisposeAsync();
        HealthyFolders.Dispose();
        BrokenFolders.Dispose();
    }
}

/// <summary>The command-line client against real host processes, and <c>process MEDIA-FILE</c> without one.</summary>
public sealed class ClientCommandsTests(ClientHostsFixture hosts) : IClassFixture<ClientHostsFixture>
{
    private const string EpisodeId = ClientHostsFixture.EpisodeId;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private string Url => hosts.Healthy.BaseAddress.AbsoluteUri;

    private sealed record Run(int Code, string Console, string Output, string Error)
    {
        public override string ToString() => $"exit {Code}\nconsole:\n{Console}\noutput:\n{Output}\nerror:\n{Error}";
    }

    /// <summary>Runs the command line as a person or script would, with a console that is not a terminal, and a deadline.</summary>
    private static async Task<Run> RunAsync(params string[] args)
    {
        using var console = new TestConsole().Width(200);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var deadline = new CancellationTokenSource(CommandTimeout);
        var code = await Cli.RunAsync(args, console, output, error, _ => null, deadline.Token);
        return new Run(code, console.Output, output.ToString(), error.ToString());
    }

    private static T Parse<T>(Run run) => JsonSerializer.Deserialize<T>(run.Output) ?? throw new InvalidOperationException($"no JSON: {run}");

    private static async Task DiscoverAsync(string url)
    {
        var run = await RunAsync("episodes", "discover", "--json", "--url", url);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains(Parse<DiscoveryResult>(run).Episodes, e => e.Id == EpisodeId);
    }

    [Fact]
    public async Task Process_EpisodeId_Json_ReachesCompletedAndPrintsTheJob()
    {
        await DiscoverAsync(Url);

        var run = await RunAsync("process", EpisodeId, "--stage", "transcribed", "--json", "--url", Url);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        var job = Parse<JobResponse>(run);
        Assert.Equal((JobStatus.Completed, EpisodeId), (job.Status, job.EpisodeId));
        Assert.Equal("transcribed", job.Result!.Value.GetProperty("stage").GetString());
        Assert.DoesNotContain('\u001b', run.Output);
        Assert.Empty(run.Console);
    }

    [Fact]
    public async Task Process_EpisodeId_FollowsTheJobThenNamesThePage()
    {
        await DiscoverAsync(Url);

        var run = await RunAsync("process", EpisodeId, "--force", "--url", Url);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        Assert.Contains("100% completed", run.Console);
        Assert.Contains($"Page: {hosts.Healthy.BaseAddress.AbsoluteUri}site/episodes/{EpisodeId}/", run.Console);
        Assert.Contains(hosts.Ollama.Chats, c => c.Model == ClientHostsFixture.OllamaModel);
    }

    [Fact]
    public async Task Process_JobFails_ExitsOneWithTheCause()
    {
        var url = hosts.WithoutModel.BaseAddress.AbsoluteUri;
        await DiscoverAsync(url);

        var human = await RunAsync("process", EpisodeId, "--stage", "transcribed", "--url", url);
        var json = await RunAsync("process", EpisodeId, "--stage", "transcribed", "--json", "--url", url);

        Assert.True(human.Code == ExitCodes.JobFailed, human.ToString());
        Assert.Contains("Failed", human.Console);
        Assert.Contains(hosts.MissingModel, human.Console);
        Assert.True(json.Code == ExitCodes.JobFailed, json.ToString());
        var job = Parse<JobResponse>(json);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains(hosts.MissingModel, job.Error);
    }

    [Fact]
    public async Task Smoke_HealthyHost_PassesEveryStep()
    {
        var run = await RunAsync("smoke", "--url", Url);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        foreach (var step in new[] { "health", "discover", "submit", "job", "stats" })
        {
            Assert.Matches($@"ok\s+{step}\s", run.Console);
        }

        Assert.Contains($"using episode {EpisodeId}", run.Console);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Smoke_Json_ListsEveryStepWithTheApisAnswer()
    {
        var run = await RunAsync("smoke", "--json", "--url", Url);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        var steps = JsonDocument.Parse(run.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["health", "discover", "submit", "job", "stats"], steps.Select(s => s.GetProperty("step").GetString()));
        Assert.All(steps, s => Assert.True(s.GetProperty("ok").GetBoolean()));
        Assert.Equal("completed", steps[3].GetProperty("response").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Smoke_HostWithoutModel_FailsAtTheJobSayingWhy()
    {
        var run = await RunAsync("smoke", "--url", hosts.WithoutModel.BaseAddress.AbsoluteUri);

        Assert.True(run.Code == ExitCodes.JobFailed, run.ToString());
        Assert.Matches(@"FAIL\s+job", run.Console);
        Assert.Contains("step 'job' failed", run.Error);
        Assert.Contains(hosts.MissingModel, run.Error);
        Assert.Contains("models download", run.Error);
    }

    [Fact]
    public async Task Smoke_HostWithoutMedia_FailsAtDiscoverSayingWhy()
    {
        using var empty = new TestFolders();
        await using var host = await StandaloneHost.StartAsync([.. TestFolders.AsArgs(empty.Settings(TestModel.Path)), "--port", "0"]);

        var run = await RunAsync("smoke", "--url", host.BaseAddress.AbsoluteUri);

        Assert.True(run.Code == ExitCodes.JobFailed, run.ToString());
        Assert.Contains("step 'discover' failed: no episode is ready to process: 0 media files found", run.Error);
    }

    [Fact]
    public async Task Smoke_NoHost_FailsAtHealthSayingItCannotBeReached()
    {
        var url = $"http://127.0.0.1:{FreePorts.Next()}";

        var run = await RunAsync("smoke", "--url", url);

        Assert.True(run.Code == ExitCodes.RequestFailed, run.ToString());
        Assert.Contains("step 'health' failed", run.Error);
        Assert.Contains("cannot be reached", run.Error);
    }

    [Fact]
    public async Task JobsEpisodesStats_Json_ParseAsTheContract()
    {
        await DiscoverAsync(Url);
        var processed = Parse<JobResponse>(await RunAsync("process", EpisodeId, "--stage", "transcribed", "--json", "--url", Url));

        var list = await RunAsync("jobs", "list", "--episode", EpisodeId, "--limit", "5", "--json", "--url", Url);
        var show = await RunAsync("jobs", "show", processed.JobId, "--json", "--url", Url);
        var stats = await RunAsync("stats", "--json", "--url", Url);
        var episodes = await RunAsync("episodes", "list", "--json", "--url", Url);

        var jobs = Parse<List<JobResponse>>(list);
        Assert.InRange(jobs.Count, 1, 5);
        Assert.All(jobs, j => Assert.Equal(EpisodeId, j.EpisodeId));
        Assert.Contains(jobs, j => j.JobId == processed.JobId);
        Assert.Equal((processed.JobId, JobStatus.Completed), (Parse<JobResponse>(show).JobId, Parse<JobResponse>(show).Status));
        Assert.True(Parse<StatsResponse>(stats).Completed >= 1, stats.ToString());
        Assert.Contains(Parse<List<Episode>>(episodes), e => e.Id == EpisodeId && e.Stage >= EpisodeStage.Transcribed);
    }

    [Fact]
    public async Task JobsAndStats_ForPeople_PrintTables()
    {
        await DiscoverAsync(Url);
        var processed = Parse<JobResponse>(await RunAsync("process", EpisodeId, "--stage", "transcribed", "--json", "--url", Url));

        var list = await RunAsync("jobs", "list", "--url", Url);
        var show = await RunAsync("jobs", "show", processed.JobId, "--url", Url);
        var stats = await RunAsync("stats", "--url", Url);

        Assert.True(list.Code == 0 && show.Code == 0 && stats.Code == 0, $"{list}\n{show}\n{stats}");
        Assert.Contains(processed.JobId, list.Console);
        Assert.Contains("artifact transcript", show.Console);
        Assert.Contains($"episodes/{EpisodeId}/transcript.json", show.Console);
        Assert.Contains("max workers", stats.Console);
        Assert.Empty(list.Output);
    }

    [Fact]
    public async Task JobsList_Pages_FollowTheHostsCursor_AndAllReadsEveryPage()
    {
        await DiscoverAsync(Url);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(JobStatus.Completed, Parse<JobResponse>(await RunAsync("process", EpisodeId, "--stage", "transcribed", "--json", "--url", Url)).Status);
        }

        var everything = Parse<List<JobResponse>>(await RunAsync("jobs", "list", "--limit", "100", "--json", "--url", Url)).Select(j => j.JobId).ToList();
        Assert.InRange(everything.Count, 2, 99);

        // People get the command for the next page; it lists the next job, and so on to the end.
        var listed = new List<string>();
        string[] next = ["jobs", "list", "--limit", "1", "--url", Url];
        while (true)
        {
            var page = await RunAsync(next);
            Assert.True(page.Code == 0, page.ToString());
            listed.Add(Parse<List<JobResponse>>(await RunAsync([.. next, "--json"])).Single().JobId);
            var more = System.Text.RegularExpressions.Regex.Match(page.Console, $@"More jobs: episodepipeline jobs list --limit 1 --url {System.Text.RegularExpressions.Regex.Escape(Url)} --cursor (\S+)");
            if (!more.Success)
            {
                break;
            }

            next = ["jobs", "list", "--limit", "1", "--cursor", more.Groups[1].Value, "--url", Url];
        }

        Assert.Equal(everything, listed);
        var all = Parse<List<JobResponse>>(await RunAsync("jobs", "list", "--all", "--limit", "1", "--json", "--url", Url));
        Assert.Equal(everything, all.Select(j => j.JobId));
        Assert.Equal(ExitCodes.Usage, (await RunAsync("jobs", "list", "--all", "--cursor", "x", "--url", Url)).Code);
    }

    [Fact]
    public async Task JobsShow_UnknownJob_ExitsFourWithTheProblemDetail()
    {
        var run = await RunAsync("jobs", "show", "00000000-0000-0000-0000-000000000000", "--url", Url);

        Assert.True(run.Code == ExitCodes.RequestFailed, run.ToString());
        Assert.Contains("404", run.Error);
        Assert.Contains("Job not found. No job has id '00000000-0000-0000-0000-000000000000'", run.Error);
    }

    [Fact]
    public async Task JobsList_StatusTheHostDoesNotKnow_ExitsFourWithTheFieldError()
    {
        var run = await RunAsync("jobs", "list", "--status", "stuck", "--url", Url);

        Assert.True(run.Code == ExitCodes.RequestFailed, run.ToString());
        Assert.Contains("400", run.Error);
        Assert.Contains("status: status must be one of queued, running, completed, failed, cancelled; got 'stuck'.", run.Error);
    }

    // Cancel, retry and batch routes: job control and the nightly batch.

    [Fact]
    public async Task JobsCancelThenRetry_AJobWaitingForTheLlm_IsCancelledThenRunAgain()
    {
        using var api = new ApiClient(hosts.Healthy.BaseAddress);
        await api.DiscoverAsync();
        hosts.Ollama.Hold();
        try
        {
            var submitted = await api.SubmitOkAsync(EpisodeId, "rendered", force: true);
            await api.WaitForJobAsync(submitted.JobId, CommandTimeout, j => j.CurrentStage == JobPhase.Enriching || JobProgress.HasEnded(j));

            var cancel = await RunAsync("jobs", "cancel", submitted.JobId, "--url", Url);
            var cancelled = await api.WaitForJobAsync(submitted.JobId, TimeSpan.FromSeconds(30));
            hosts.Ollama.OpenFully();
            var retry = await RunAsync("jobs", "retry", submitted.JobId, "--json", "--url", Url);

            Assert.True(cancel.Code == ExitCodes.Ok, cancel.ToString());
            Assert.Contains($"Cancelling job {submitted.JobId}", cancel.Console);
            Assert.Equal(JobStatus.Cancelled, cancelled.Status);
            Assert.True(retry.Code == ExitCodes.Ok, retry.ToString());
            var again = JsonDocument.Parse(retry.Output).RootElement;
            Assert.Equal(submitted.JobId, again.GetProperty("retry_of").GetString());
            var rerun = await api.WaitForJobAsync(again.GetProperty("job_id").GetString()!, CommandTimeout);
            Assert.Equal(JobStatus.Completed, rerun.Status);
        }
        finally
        {
            hosts.Ollama.OpenFully();
        }
    }

    [Fact]
    public async Task JobsCancel_FinishedJob_ExitsFourWithTheConflict()
    {
        await DiscoverAsync(Url);
        var processed = Parse<JobResponse>(await RunAsync("process", EpisodeId, "--stage", "transcribed", "--json", "--url", Url));

        var run = await RunAsync("jobs", "cancel", processed.JobId, "--url", Url);

        Assert.True(run.Code == ExitCodes.RequestFailed, run.ToString());
        Assert.Contains("409", run.Error);
    }

    [Fact]
    public async Task BatchRun_Json_StartsABatchJobThatCompletes()
    {
        await DiscoverAsync(Url);

        var run = await RunAsync("batch", "run", "--target-stage", "transcribed", "--json", "--url", Url);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        var batch = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("batch", batch.GetProperty("job_type").GetString());
        using var api = new ApiClient(hosts.Healthy.BaseAddress);
        var job = await api.WaitForJobAsync(batch.GetProperty("job_id").GetString()!, CommandTimeout);
        Assert.Equal(JobStatus.Completed, job.Status);
    }

    [Fact]
    public async Task ProcessMediaFile_NoServer_WritesThePageAndSaysWhere()
    {
        using var folders = new TestFolders();
        var file = Path.Combine(folders.Root, "elsewhere", "My Talk.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Copy(await TestMedia.SpeechVideoAsync(10), file);

        var run = await RunAsync(["process", file, .. TestFolders.AsArgs(folders.Settings(TestModel.Path)), .. hosts.OllamaArgs]);

        Assert.True(run.Code == ExitCodes.Ok, run.ToString());
        var page = Path.Combine(folders.Root, "output", "episodes", "my-talk", "index.html");
        Assert.Contains($"Page: {page}", run.Console);
        Assert.Contains("100% completed", run.Console);
        Assert.True(File.Exists(page), run.ToString());
        var media = new FileInfo(Path.Combine(folders.Root, "output", "episodes", "my-talk", "media.mp4"));
        Assert.True(media.Exists && media.LinkTarget is null, "the page holds the media itself, not a link to the temporary input folder");
        Assert.True(File.Exists(Path.Combine(folders.Root, "data", LocalProcessRun.DataSubfolder, "episodes", "my-talk", "transcript.json")));
        Assert.False(File.Exists(Path.Combine(folders.Root, "data", "catalog.json")), "the catalog of the api's media folders is not touched");
    }

    [Fact]
    public async Task ProcessMediaFile_ToTheTranscript_NeedsNoOllama_AndASecondRunReusesIt()
    {
        using var folders = new TestFolders();
        var file = folders.AddMedia(await TestMedia.SpeechAudioAsync(10), "talk.mp3");
        Task<Run> ProcessAsync() => RunAsync("process", file, "--stage", "transcribed", "--json",
            "--Pipeline:Root", folders.Root, "--Pipeline:Whisper:ModelPath", TestModel.Path, "--Pipeline:Ollama:Url", $"http://127.0.0.1:{FreePorts.Next()}");

        var first = await ProcessAsync();

        Assert.True(first.Code == ExitCodes.Ok, first.ToString());
        var job = Parse<JobResponse>(first);
        Assert.Equal(("talk", JobStatus.Completed), (job.EpisodeId, job.Status));
        Assert.True(File.Exists(Path.Combine(folders.Root, "data", LocalProcessRun.DataSubfolder, "episodes", "talk", "transcript.txt")));

        // Each run starts its own host; the second finds the same episode and the first one's transcript.
        var second = await ProcessAsync();

        Assert.True(second.Code == ExitCodes.Ok, second.ToString());
        var again = Parse<JobResponse>(second);
        Assert.Equal(("talk", JobStatus.Completed, true), (again.EpisodeId, again.Status, again.Result!.Value.GetProperty("reused").GetBoolean()));
        var catalog = JsonDocument.Parse(File.ReadAllText(Path.Combine(folders.Root, "data", LocalProcessRun.DataSubfolder, "catalog.json")));
        Assert.Equal(["talk"], catalog.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ProcessMediaFile_ASecondFileWithTheSameNameButAnotherExtension_IsTranscribedItself()
    {
        using var folders = new TestFolders();
        var mp3 = folders.AddMedia(await TestMedia.SpeechAudioAsync(10), "talk.mp3");
        var wav = Path.Combine(folders.Root, "elsewhere", "talk.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(wav)!);
        File.Copy(await TestMedia.SpeechWavAsync(), wav);
        Task<Run> ProcessAsync(string file) => RunAsync("process", file, "--stage", "transcribed", "--json",
            "--Pipeline:Root", folders.Root, "--Pipeline:Whisper:ModelPath", TestModel.Path, "--Pipeline:Ollama:Url", $"http://127.0.0.1:{FreePorts.Next()}");

        var first = Parse<JobResponse>(await ProcessAsync(mp3));
        var second = await ProcessAsync(wav);

        Assert.True(second.Code == ExitCodes.Ok, second.ToString());
        var job = Parse<JobResponse>(second);
        Assert.Equal("talk", first.EpisodeId);
        Assert.StartsWith("talk-", job.EpisodeId, StringComparison.Ordinal);
        Assert.False(job.Result!.Value.GetProperty("reused").GetBoolean(), "the wav's own transcript, not the mp3's");
        Assert.NotEqual(first.Result!.Value.GetProperty("duration").GetDouble(), job.Result!.Value.GetProperty("duration").GetDouble());
    }

    [Fact]
    public async Task ProcessMediaFile_NoModel_NamesItsPathAndHowToGetOne()
    {
        using var folders = new TestFolders();
        var file = folders.AddMedia(await TestMedia.SpeechAudioAsync(10), "talk.mp3");
        var model = Path.Combine(folders.Root, "models", "ggml-base.en.bin");

        var run = await RunAsync("process", file, "--stage", "transcribed", "--Pipeline:Root", folders.Root, "--Pipeline:Whisper:ModelPath", model);

        Assert.True(run.Code == ExitCodes.Configuration, run.ToString());
        Assert.Contains($"Whisper model not found at '{model}'", run.Error);
        Assert.Contains("models download base.en", run.Error);
    }

    [Fact]
    public async Task ProcessMediaFile_NoOllama_SaysSoAndOffersTheTranscriptStage()
    {
        using var folders = new TestFolders();
        var file = folders.AddMedia(await TestMedia.SpeechAudioAsync(10), "talk.mp3");
        var ollama = $"http://127.0.0.1:{FreePorts.Next()}";

        var run = await RunAsync("process", file, "--Pipeline:Root", folders.Root, "--Pipeline:Whisper:ModelPath", TestModel.Path, "--Pipeline:Ollama:Url", ollama);

        Assert.True(run.Code == ExitCodes.Configuration, run.ToString());
        Assert.Contains("needs Ollama", run.Error);
        Assert.Contains(ollama, run.Error);
        Assert.Contains("--stage transcribed", run.Error);
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("jobs", "frobnicate")]
    [InlineData("jobs", "list", "--limit", "ten")]
    [InlineData("jobs", "show")]
    [InlineData("jobs", "show", "a", "b")]
    [InlineData("stats", "--bogus")]
    [InlineData("stats", "--url", "ftp://media-box")]
    [InlineData("process")]
    [InlineData("process", "no-such-folder/talk.mp4")]
    [InlineData("process", "episode-1", "--stage", "published")]
    [InlineData("process", "episode-1", "--Pipeline:DataFolder", "elsewhere")]
    public async Task BadArguments_ExitTwoSayingWhat(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.True(run.Code == ExitCodes.Usage, run.ToString());
        Assert.NotEmpty(run.Error.Trim());
    }
}
