using Microsoft.Extensions.Options;
using Spectre.Console;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// The command line: <c>api</c> serves the pipeline; <c>models download</c> fetches a Whisper model; the client
/// commands (<see cref="ClientCommands"/>) talk to a running host, and <c>process MEDIA-FILE</c> runs one file
/// without one.
/// </summary>
internal static class Cli
{
    private static readonly string Usage = $"""
        usage:
          episodepipeline api [--port 8000] [--address 127.0.0.1] [--api-key KEY] [--public-url URL]
                              [--backend InMemory|AzureStorage] [--storage CONNECTION] [--task-hub NAME]
                              [--config config/pipeline.yaml] [--Pipeline:Any:Key value ...]
          episodepipeline models download NAME [--dir models]
        client commands (a running host at --url, else ${ClientSettings.UrlVariable}, else {ClientSettings.DefaultUrl.AbsoluteUri.TrimEnd('/')};
        key --key, else ${ClientSettings.KeyVariable}; --json prints the API's JSON):
        {string.Join(Environment.NewLine, ClientCommands.UsageLines.Select(u => "  episodepipeline " + u))}
        process MEDIA-FILE runs the file in this process, no server needed ([--config PATH] [--Pipeline:Any:Key value ...]).
        exit codes: 0 done, 1 job failed, 2 usage, 3 configuration or missing model/Ollama, 4 request refused or host unreachable,
                    5 job cancelled, 130 Ctrl+C.
        """;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, CreateConsole(output, Console.IsOutputRedirected, Environment.GetEnvironmentVariable), output, error, Environment.GetEnvironmentVariable);

    /// <summary>The people's console. <c>COLUMNS</c> sets its width; without it, output that is no terminal (a pipe, a CI log)
    /// gets <see cref="RedirectedWidth"/> columns instead of Spectre's 80, so tables and progress lines are not wrapped mid-word.</summary>
    internal static IAnsiConsole CreateConsole(TextWriter output, bool redirected, Func<string, string?> environment)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (int.TryParse(environment("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns > 0)
        {
            console.Profile.Width = columns;
        }
        else if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>Columns of people's output that goes to a pipe or file.</summary>
    internal const int RedirectedWidth = 240;

    /// <summary>
    /// Runs <paramref name="args"/>. People's output goes to <paramref name="console"/> (injectable, so tests see progress
    /// without a terminal), <c>--json</c> and usage to <paramref name="output"/>, problems to <paramref name="error"/>.
    /// Ctrl+C (or <paramref name="cancellationToken"/>) stops a client command.
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args, IAnsiConsole console, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        switch (args)
        {
            case ["api", .. var rest]:
                StandaloneHost host;
                try
                {
                    host = await StandaloneHost.StartAsync(rest, cancellationToken: stop.Token);
                }
                catch (Exception ex) when (ex is OptionsValidationException or FileNotFoundException)
                {
                    await error.WriteLineAsync($"Configuration error: {ex.Message}");
                    return ExitCodes.Configuration;
                }

                await using (host)
                {
                    await output.WriteLineAsync($"EpisodePipeline API listening on {host.BaseAddress} (Ctrl+C to stop)");
                    await host.WaitForShutdownAsync();
                }

                return ExitCodes.Ok;

            case ["models", .. var rest]:
                return await ModelsCommand.RunAsync(rest, output, error, stop.Token);

            case [_, ..] when ClientCommands.Handles(args):
                void OnCancel(object? sender, ConsoleCancelEventArgs e)
                {
                    // Stop following, exit with the interrupted code; a second Ctrl+C still ends the process at once.
                    e.Cancel = !stop.IsCancellationRequested;
                    stop.Cancel();
                }

                Console.CancelKeyPress += OnCancel;
                try
                {
                    return await ClientCommands.RunAsync(args, new CliContext(console, output, error, environment, stop.Token));
                }
                finally
                {
                    Console.CancelKeyPress -= OnCancel;
                }

            default:
                await output.WriteLineAsync(Usage);
                return args.Length == 0 || args[0] is "-h" or "--help" or "help" ? ExitCodes.Ok : ExitCodes.Usage;
        }
    }
}
