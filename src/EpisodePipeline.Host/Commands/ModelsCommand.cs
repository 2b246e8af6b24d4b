using Whisper.net.Ggml;

namespace EpisodePipeline.Host.Commands;

/// <summary><c>models download NAME [--dir models]</c>: fetches a ggml Whisper model with Whisper.net's downloader.</summary>
internal static class ModelsCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args is not ["download", var name, ..])
        {
            await output.WriteLineAsync($"usage: models download NAME [--dir FOLDER]   NAME: {string.Join(", ", Enum.GetValues<GgmlType>().Select(ToName))}");
            return 2;
        }

        var type = Enum.GetValues<GgmlType>().FirstOrDefault(t => string.Equals(ToName(t), name, StringComparison.OrdinalIgnoreCase), (GgmlType)(-1));
        if (!Enum.IsDefined(type))
        {
            await output.WriteLineAsync($"Unknown model '{name}'. Choose one of: {string.Join(", ", Enum.GetValues<GgmlType>().Select(ToName))}");
            return 2;
        }

        var dirIndex = Array.IndexOf(args, "--dir");
        var folder = dirIndex > 0 && dirIndex + 1 < args.Length ? args[dirIndex + 1] : "models";
        Directory.CreateDirectory(folder);
        var path = Path.GetFullPath(Path.Combine(folder, $"ggml-{ToName(type)}.bin"));
        var temp = path + ".download";
        await output.WriteLineAsync($"Downloading {ToName(type)} to {path} ...");
        await using (var model = await WhisperGgmlDownloader.Default.GetGgmlModelAsync(type, QuantizationType.NoQuantization, cancellationToken))
        await using (var file = File.Create(temp))
        {
            await model.CopyToAsync(file, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        await output.WriteLineAsync($"Done. Set Pipeline:Whisper:ModelPath to {path}");
        return 0;
    }

    /// <summary>BaseEn → base.en, LargeV3Turbo → large-v3-turbo: the names whisper.cpp uses.</summary>
    private static string ToName(GgmlType type) => type.ToString() switch
    {
        var n when n.EndsWith("En", StringComparison.Ordinal) => n[..^2].ToLowerInvariant() + ".en",
        var n when n.StartsWith("Large", StringComparison.Ordinal) => string.Join('-', System.Text.RegularExpressions.Regex.Split(n, "(?<=[a-z0-9])(?=[A-Z])")).ToLowerInvariant(),
        var n => n.ToLowerInvariant(),
    };
}
