using Microsoft.Extensions.Options;

namespace EpisodePipeline.Host.Commands;

/// <summary>The command line: <c>api</c> serves the pipeline; <c>models download</c> fetches a Whisper model.</summary>
internal static class Cli
{
    private const string Usage = """
        usage:
          episodepipeline api [--port 8000] [--address 127.0.0.1] [--api-key KEY] [--public-url URL]
                              [--backend InMemory|AzureStorage] [--storage CONNECTION] [--task-hub NAME]
                              [--config config/pipeline.yaml] [--Pipeline:Any:Key value ...]
          episodepipeline models download NAME [--dir models]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
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
                    return 3;
                }

                await using (host)
                {
                    await output.WriteLineAsync($"EpisodePipeline API listening on {host.BaseAddress} (Ctrl+C to stop)");
                    await host.WaitForShutdownAsync();
                }

                return 0;

            case ["models", .. var rest]:
                return await ModelsCommand.RunAsync(rest, output, stop.Token);

            default:
                await output.WriteLineAsync(Usage);
                return args.Length == 0 || args[0] is "-h" or "--help" or "help" ? 0 : 2;
        }
    }
}
