using System.Text.Json;
using EpisodePipeline.Host.Client;
using EpisodePipeline.Host.Commands;
using EpisodePipeline.Jobs;
using Spectre.Console;
using Spectre.Console.Testing;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The client's parts that need no host: argument parsing, where it connects, and how progress is shown.</summary>
public class ClientCommandLineTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static JobResponse Job(JobStatus status, JobPhase phase, double progress, string message, int? eta = null) => new()
    {
        JobId = "7d5c1a3e-0000-4000-8000-000000000001",
        Status = status,
        CurrentStage = phase,
        Progress = progress,
        Message = message,
        EtaSeconds = eta,
        CreatedAt = Start,
        UpdatedAt = Start,
    };

    /// <summary>A job as a host reports it while it runs: the same state twice, then one transcribing step after another.</summary>
    private static readonly JobResponse[] Run =
    [
        Job(JobStatus.Queued, JobPhase.Queued, 0, "Waiting for a worker"),
        Job(JobStatus.Running, JobPhase.Starting, 5, "Preparing episode"),
        Job(JobStatus.Running, JobPhase.Starting, 5, "Preparing episode"),
        Job(JobStatus.Running, JobPhase.Transcribing, 20, "Transcribing segment 2/3", eta: 12),
        Job(JobStatus.Running, JobPhase.Transcribing, 30, "Transcribing segment 3/3", eta: 75),
        Job(JobStatus.Completed, JobPhase.Completed, 100, "Transcribed 3 segments", eta: 0),
    ];

    private static Func<CancellationToken, Task<ApiAnswer<JobResponse>>> Replay(JobResponse[] states)
    {
        var next = 0;
        return _ =>
        {
            var job = states[Math.Min(next++, states.Length - 1)];
            return Task.FromResult(new ApiAnswer<JobResponse>(job, JsonSerializer.Serialize(job)));
        };
    }

    [Fact]
    public async Task Follow_WithoutATerminal_WritesALinePerChangeWithStageMessageAndEta()
    {
        using var console = new TestConsole().Width(200);

        var last = await new JobProgress(console) { Interval = TimeSpan.FromMilliseconds(1) }.FollowAsync(Replay(Run), CancellationToken.None);

        Assert.Equal(JobStatus.Completed, last.Value.Status);
        var lines = console.Lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.Equal(
        [
            "0% queued       Waiting for a worker",
            "5% starting     Preparing episode",
            "20% transcribing Transcribing segment 2/3  ETA 12 s",
            "30% transcribing Transcribing segment 3/3  ETA 1:15",
            "100% completed    Transcribed 3 segments",
        ], lines);
    }

    [Fact]
    public async Task Follow_OnATerminal_DrawsABarWithStageMessageAndEta()
    {
        using var console = new TestConsole().Width(200).Interactive().EmitAnsiSequences();

        await new JobProgress(console) { Interval = TimeSpan.FromMilliseconds(1) }.FollowAsync(Replay(Run), CancellationToken.None);

        var output = console.Output;
        Assert.Contains("Transcribing segment 2/3", output);
        Assert.Contains("ETA 12 s", output);
        Assert.Contains("ETA 1:15", output);
        Assert.Contains("Transcribed 3 segments", output);
        Assert.Contains("100%", output);
        Assert.Contains('\u001b', output); // drawn in place with escape sequences, not as lines
    }

    [Fact]
    public async Task Follow_Interrupted_StopsWithTheCancellation()
    {
        using var console = new TestConsole();
        using var stop = new CancellationTokenSource();
        var running = Job(JobStatus.Running, JobPhase.Transcribing, 20, "Transcribing segment 2/3", eta: 12);

        var follow = new JobProgress(console) { Interval = TimeSpan.FromMilliseconds(5) }.FollowAsync(Replay([running]), stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow);
    }

    [Theory]
    [InlineData(new[] { "--url", "http://media-box:9000", "--key", "k1" }, "http://env:1", "k2", "http://media-box:9000/", "k1")]
    [InlineData(new string[0], "http://env:1", "k2", "http://env:1/", "k2")]
    [InlineData(new string[0], null, null, "http://localhost:8000/", null)]
    [InlineData(new string[0], "", "", "http://localhost:8000/", null)]
    public void Settings_OptionsBeatTheEnvironmentWhichBeatsTheDefault(string[] args, string? envUrl, string? envKey, string url, string? key)
    {
        Assert.True(ParsedArgs.TryParse(args, ClientSettings.Options, ClientSettings.Flags, configuration: false, out var parsed, out _));
        var environment = new Dictionary<string, string?> { [ClientSettings.UrlVariable] = envUrl, [ClientSettings.KeyVariable] = envKey };

        Assert.True(ClientSettings.TryCreate(parsed, name => environment.GetValueOrDefault(name), out var settings, out _));

        Assert.Equal((url, key), (settings.Url.AbsoluteUri, settings.Key));
    }

    [Theory]
    [InlineData("ftp://host")]
    [InlineData("localhost:8000")]
    public void Settings_UrlThatIsNotHttp_IsRefusedNamingIt(string url)
    {
        Assert.True(ParsedArgs.TryParse(["--url", url], ClientSettings.Options, ClientSettings.Flags, configuration: false, out var parsed, out _));

        Assert.False(ClientSettings.TryCreate(parsed, _ => null, out _, out var error));

        Assert.Contains(url, error);
    }

    [Theory]
    [InlineData(true, null, Cli.RedirectedWidth)]
    [InlineData(true, "100", 100)]
    [InlineData(false, "132", 132)]
    public void Console_ToAPipeIsNotWrappedAt80Columns_AndColumnsWins(bool redirected, string? columns, int width)
    {
        using var output = new StringWriter();
        var console = Cli.CreateConsole(output, redirected, name => name == "COLUMNS" ? columns : null);
        var line = string.Join(' ', Enumerable.Repeat("word", width / 5)); // longer than 80 columns, shorter than the width

        console.WriteLine(line);

        Assert.Equal(width, console.Profile.Width);
        Assert.Equal(line, output.ToString().TrimEnd('\r', '\n'));
    }

    [Fact]
    public void Parse_OptionsFlagsPositionalAndConfiguration_AreToldApart()
    {
        Assert.True(ParsedArgs.TryParse(
            ["talk.mp4", "--stage=transcribed", "--force", "--Pipeline:Whisper:ModelPath", "/m/x.bin", "--config", "c.yaml"],
            ["--stage"], ["--force"], configuration: true, out var parsed, out _));

        Assert.Equal(["talk.mp4"], parsed.Positional);
        Assert.Equal("transcribed", parsed.Option("--stage"));
        Assert.True(parsed.Flag("--force"));
        Assert.Equal(["--Pipeline:Whisper:ModelPath", "/m/x.bin", "--config", "c.yaml"], parsed.Configuration);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "--stage" }, "--stage needs a value")]
    [InlineData(new[] { "--Pipeline:DataFolder", "x" }, "Unknown option '--Pipeline:DataFolder'")]
    public void Parse_WrongArgument_SaysWhich(string[] args, string message)
    {
        Assert.False(ParsedArgs.TryParse(args, ["--stage"], ["--force"], configuration: false, out _, out var error));

        Assert.Contains(message, error);
    }
}
