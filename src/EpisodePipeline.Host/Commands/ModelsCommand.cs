using Whisper.net.Ggml;

namespace EpisodePipeline.Host.Commands;

/// <summary><c>models download NAME [--dir models]</c>: fetches a ggml Whisper model with Whisper.net's downloader.</summary>
internal static class ModelsCommand
{
    /// <summary>
    /// Downloads the model to <c>FOLDER/ggml-NAME.bin</c> through a <c>.download</c> file that is moved into place only
    /// when complete. Exit codes: 0 done; 2 usage or unknown name; 4 the download failed (no network, an HTTP error,
    /// the connection dropped: one line on <paramref name="error"/>, nothing left behind); 130 Ctrl+C.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, output, error, WhisperGgmlDownloader.Default, cancellationToken);

    /// <inheritdoc cref="RunAsync(string[], TextWriter, TextWriter, CancellationToken)"/>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, WhisperGgmlDownloader downloader, CancellationToken cancellationToken)
    {
        if (args is not ["download", var name, ..])
        {
            await output.WriteLineAsync($"usage: models download NAME [--dir FOLDER]   NAME: {string.Join(", ", Enum.GetValues<GgmlType>().Select(ToName))}");
            return ExitCodes.Usage;
        }

        var type = Enum.GetValues<GgmlType>().FirstOrDefault(t => string.Equals(ToName(t), name, StringComparison.OrdinalIgnoreCase), (GgmlType)(-1));
        if (!Enum.IsDefined(type))
        {
            await output.WriteLineAsync($"Unknown model '{name}'. Choose one of: {string.Join(", ", Enum.GetValues<GgmlType>().Select(ToName))}");
            return ExitCodes.Usage;
        }

        var dirIndex = Array.IndexOf(args, "--dir");
        var folder = dirIndex > 0 && dirIndex + 1 < args.Length ? args[dirIndex + 1] : "models";
        Directory.CreateDirectory(folder);
        var path = Path.GetFullPath(Path.Combine(folder, $"ggml-{ToName(type)}.bin"));
        var temp = path + ".download";
        await output.WriteLineAsync($"Downloading {ToName(type)} to {path} ...");
        try
        {
            await using (var model = await downloader.GetGgmlModelAsync(type, QuantizationType.NoQuantization, cancellationToken))
            await using (var file = File.Create(temp))
            {
                await model.CopyToAsync(file, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            File.Delete(temp);
            if (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }

            // A timeout is a TaskCanceledException whose message says so; the others name the host or the HTTP status.
            await error.WriteLineAsync(
                $"Could not download {ToName(type)}: {ex.Message.TrimEnd('.')}. Nothing was written to {path}. Without internet access, copy a ggml model " +
                $"there, or make the tiny offline test model (nonsense transcripts): dotnet run -c Release --project tests/EpisodePipeline.Benchmarks -- make-model {path}");
            return ExitCodes.RequestFailed;
        }

        File.Move(temp, path, overwrite: true);
        await output.WriteLineAsync($"Done. Set Pipeline:Whisper:ModelPath to {path}");
        return ExitCodes.Ok;
    }

    /// <summary>BaseEn → base.en, LargeV3Turbo → large-v3-turbo: the names whisper.cpp uses.</summary>
    private static string ToName(GgmlType type) => type.ToString() switch
    {
        var n when n.EndsWith("En", StringComparison.Ordinal) => n[..^2].ToLowerInvariant() + ".en",
        var n when n.StartsWith("Large", StringComparison.Ordinal) => string.Join('-', System.Text.RegularExpressions.Regex.Split(n, "(?<=[a-z0-9])(?=[A-Z])")).ToLowerInvariant(),
        var n => n.ToLowerInvariant(),
    };
}
