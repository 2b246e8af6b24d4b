using System.Text.Json;

namespace EpisodePipeline.Services.Catalog;

/// <summary>Writes files so a reader sees the old content or the new, never half of either.</summary>
public static class AtomicFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken = default)
    {
        var temp = TempPathFor(path);
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, value, Json, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static async Task WriteTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        var temp = TempPathFor(path);
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

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
        return $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
    }
}
