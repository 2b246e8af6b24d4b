using System.Globalization;
using System.Text.Json;

namespace EpisodePipeline.Services.Catalog;

/// <summary>
/// Writes files so a reader sees the old content or the new, never half of either. The content goes to a
/// temporary sibling named <c>{file}.{process id}.{guid}.tmp</c> first; a failed write deletes it, and
/// <see cref="TempFileSweeper"/> removes those a killed process left behind.
/// </summary>
public static class AtomicFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Endings of temporary files: ours, and <c>.tmp.wav</c> from extractions of earlier versions.</summary>
    public static readonly IReadOnlyList<string> TempSuffixes = [".tmp", ".tmp.wav"];

    public static Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken = default) =>
        WriteAsync(path, async temp =>
        {
            await using var stream = File.Create(temp);
            await JsonSerializer.SerializeAsync(stream, value, Json, cancellationToken);
        });

    public static Task WriteTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        WriteAsync(path, temp => File.WriteAllTextAsync(temp, text, cancellationToken));

    public static async Task<T?> ReadJsonAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return default;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken);
    }

    /// <summary>A unique sibling of <paramref name="path"/>: same folder, so the final move is a rename.</summary>
    public static string TempPathFor(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>True for a name <see cref="TempPathFor"/> (or an earlier version) makes.</summary>
    public static bool IsTempFile(string fileName) =>
        TempSuffixes.Any(s => fileName.EndsWith(s, StringComparison.Ordinal));

    /// <summary>The id of the process that made temporary file <paramref name="fileName"/>; null when the name does not carry one.</summary>
    public static int? OwnerProcessId(string fileName)
    {
        // {file}.{pid}.{32 hex digits}.tmp[.wav]
        var parts = fileName.Split('.');
        var tmp = Array.LastIndexOf(parts, "tmp");
        return tmp >= 3
            && parts[tmp - 1].Length == 32
            && int.TryParse(parts[tmp - 2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
    }

    private static async Task WriteAsync(string path, Func<string, Task> write)
    {
        var temp = TempPathFor(path);
        try
        {
            await write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A full disk or a cancelled write would otherwise leave a 0-byte or partial .tmp behind.
            File.Delete(temp);
            throw;
        }
    }
}
