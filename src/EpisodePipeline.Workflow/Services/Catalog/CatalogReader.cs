using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Services.Catalog;

/// <summary>What was sound in <c>catalog.json</c>, and which episodes must be probed again because facts about their media were lost.</summary>
internal sealed record CatalogContent(Dictionary<string, Episode> Episodes, HashSet<string> NeedsProbe);

/// <summary>
/// Reads <c>catalog.json</c> so that no content of it can stop the pipeline: what is sound is loaded, the rest is
/// dropped with a warning, and the file as it was is kept beside it (<c>catalog.json.corrupt-&lt;time&gt;</c>)
/// before anything is lost.
/// </summary>
internal static class CatalogReader
{
    private const int MaxRepairs = 20;

    public static async Task<CatalogContent> ReadAsync(string path, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var content = new CatalogContent(new Dictionary<string, Episode>(StringComparer.Ordinal), []);
        if (!File.Exists(path))
        {
            return content;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            logger.CatalogUnreadable(path, KeepCopy(path, time), ex.Message);
            return content;
        }

        if (root is not JsonArray array)
        {
            logger.CatalogUnreadable(path, KeepCopy(path, time), $"it holds {root?.GetValueKind().ToString() ?? "null"}, not a list of episodes");
            return content;
        }

        var problems = new List<string>();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject entry)
            {
                problems.Add($"entry {i} is not an episode");
                continue;
            }

            var hadStatus = entry.ContainsKey("media_status");
            var (episode, repaired) = Deserialize(entry, i, problems);
            if (episode is null)
            {
                continue;
            }

            if (!EpisodeIds.IsValid(episode.Id) || string.IsNullOrEmpty(episode.MediaPath))
            {
                problems.Add($"entry {i} has an invalid id '{episode.Id}' or no media path");
            }
            else if (content.Episodes.ContainsKey(episode.Id))
            {
                problems.Add($"entry {i} repeats id '{episode.Id}'");
            }
            else if (!paths.Add(episode.MediaPath))
            {
                problems.Add($"entry {i} ('{episode.Id}') repeats the media path of another episode");
            }
            else
            {
                content.Episodes[episode.Id] = episode with
                {
                    Title = episode.Title ?? Path.GetFileNameWithoutExtension(episode.MediaPath),
                    AudioTracks = episode.AudioTracks is null ? [] : [.. episode.AudioTracks.Where(t => t is not null)],
                    Artifacts = episode.Artifacts ?? new Dictionary<string, string>(),
                };
                if (repaired || !hadStatus)
                {
                    // Written by an older version, or a field about the media was dropped: discovery probes it again.
                    content.NeedsProbe.Add(episode.Id);
                }
            }
        }

        if (problems.Count > 0)
        {
            logger.CatalogRepaired(path, KeepCopy(path, time), content.Episodes.Count, string.Join("; ", problems));
        }

        return content;
    }

    /// <summary>Deserializes one entry, dropping fields whose values this version cannot read (an unknown stage, a bad date) one at a time.</summary>
    private static (Episode? Episode, bool Repaired) Deserialize(JsonObject entry, int index, List<string> problems)
    {
        var repaired = false;
        for (var attempt = 0; attempt < MaxRepairs; attempt++)
        {
            try
            {
                var episode = entry.Deserialize<Episode>(AtomicFile.Json);
                if (episode is null)
                {
                    break;
                }

                return (episode, repaired);
            }
            catch (JsonException ex)
            {
                var field = TopLevelField(ex.Path);
                if (field is null or "id" or "media_path" || !entry.Remove(field))
                {
                    problems.Add($"entry {index} cannot be read: {ex.Message}");
                    return (null, false);
                }

                problems.Add($"entry {index}: dropped unreadable '{field}'");
                repaired = true;
            }
        }

        problems.Add($"entry {index} cannot be read");
        return (null, false);
    }

    private static string? TopLevelField(string? jsonPath)
    {
        if (jsonPath is null || !jsonPath.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = jsonPath[2..];
        var end = rest.IndexOfAny(['.', '[']);
        return end < 0 ? rest : rest[..end];
    }

    private static string KeepCopy(string path, TimeProvider time)
    {
        var copy = $"{path}.corrupt-{time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        File.Copy(path, copy, overwrite: true);
        return copy;
    }
}
