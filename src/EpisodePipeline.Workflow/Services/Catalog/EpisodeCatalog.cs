using EpisodePipeline.Services.Media;
using System.Text.Json.Serialization;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Services.Catalog;

/// <summary>
/// The episodes known to this data folder, kept in <c>catalog.json</c>. One process owns a data
/// folder; within it every change is serialised and written through atomically.
/// </summary>
public sealed class EpisodeCatalog(
    IOptions<PipelineOptions> options,
    DataLayout layout,
    IMediaProbe probe,
    TimeProvider time,
    ILogger<EpisodeCatalog> logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Dictionary<string, Episode>? _episodes;

    public async Task<IReadOnlyList<Episode>> ListAsync(CancellationToken cancellationToken)
    {
        var episodes = await LoadAsync(cancellationToken);
        lock (episodes)
        {
            return [.. episodes.Values.OrderBy(e => e.Id, StringComparer.Ordinal)];
        }
    }

    public async Task<Episode?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!EpisodeIds.IsValid(id))
        {
            return null;
        }

        var episodes = await LoadAsync(cancellationToken);
        lock (episodes)
        {
            return episodes.GetValueOrDefault(id);
        }
    }

    /// <summary>Applies <paramref name="change"/> to an episode and saves the catalog.</summary>
    public async Task<Episode> UpdateAsync(string id, Func<Episode, Episode> change, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var episodes = await LoadAsync(cancellationToken);
            Episode current, updated;
            lock (episodes)
            {
                if (!episodes.TryGetValue(id, out current!))
                {
                    throw new KeyNotFoundException($"Episode '{id}' is not in the catalog.");
                }

                updated = change(current) with { UpdatedAt = time.GetUtcNow() };
                episodes[id] = updated;
            }

            try
            {
                await SaveAsync(episodes, cancellationToken);
            }
            catch
            {
                // A change that did not reach the disk did not happen (a job recorded here would not be scheduled).
                lock (episodes)
                {
                    episodes[id] = current;
                }

                throw;
            }

            return updated;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Scans the input folders: adds new media, notices changed and removed files. Idempotent.</summary>
    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var episodes = await LoadAsync(cancellationToken);
            Dictionary<string, Episode> before;
            lock (episodes)
            {
                before = new Dictionary<string, Episode>(episodes, StringComparer.Ordinal);
            }

            var now = time.GetUtcNow();
            var byPath = before.Values.ToDictionary(e => e.MediaPath, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var next = new Dictionary<string, Episode>(before, StringComparer.Ordinal);
            int added = 0, changed = 0;

            foreach (var (file, relative) in ScanInputFolders())
            {
                var info = new FileInfo(file);
                var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
                if (byPath.TryGetValue(file, out var known))
                {
                    seen.Add(known.Id);
                    if (known.SizeBytes == info.Length && known.ModifiedAt == modified && !known.Missing)
                    {
                        continue;
                    }

                    var contentChanged = known.SizeBytes != info.Length || known.ModifiedAt != modified;
                    next[known.Id] = known with
                    {
                        SizeBytes = info.Length,
                        ModifiedAt = modified,
                        DurationSeconds = contentChanged ? await ProbeAsync(file, cancellationToken) : known.DurationSeconds,
                        // New content makes every derived artifact stale.
                        Stage = contentChanged ? EpisodeStage.Discovered : known.Stage,
                        Missing = false,
                        UpdatedAt = now,
                    };
                    changed++;
                    continue;
                }

                var id = EpisodeIds.FromRelativePath(relative);
                if (next.ContainsKey(id))
                {
                    id = $"{id[..Math.Min(id.Length, EpisodeIds.MaxLength - 9)]}-{EpisodeIds.ShortHash(file)}";
                }

                next[id] = new Episode
                {
                    Id = id,
                    Title = Path.GetFileNameWithoutExtension(file),
                    MediaPath = file,
                    SizeBytes = info.Length,
                    ModifiedAt = modified,
                    DurationSeconds = await ProbeAsync(file, cancellationToken),
                    DiscoveredAt = now,
                    UpdatedAt = now,
                };
                seen.Add(id);
                added++;
            }

            var missing = 0;
            foreach (var episode in before.Values.Where(e => !seen.Contains(e.Id)))
            {
                missing++;
                if (!episode.Missing)
                {
                    logger.MediaMissing(episode.Id, episode.MediaPath);
                    next[episode.Id] = episode with { Missing = true, UpdatedAt = now };
                    changed++;
                }
            }

            lock (episodes)
            {
                episodes.Clear();
                foreach (var (id, episode) in next)
                {
                    episodes[id] = episode;
                }
            }

            await SaveAsync(episodes, cancellationToken);
            logger.Discovered(seen.Count, added, changed, missing);
            return new DiscoveryResult(seen.Count, added, changed, missing, [.. next.Values.OrderBy(e => e.Id, StringComparer.Ordinal)]);
        }
        finally
        {
            _lock.Release();
        }
    }

    private IEnumerable<(string File, string Relative)> ScanInputFolders()
    {
        var extensions = new HashSet<string>(options.Value.Input.Extensions, StringComparer.OrdinalIgnoreCase);
        var scan = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        foreach (var folder in options.Value.Input.Folders.Select(options.Value.Resolve).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", scan).Order(StringComparer.Ordinal))
            {
                if (extensions.Contains(Path.GetExtension(file)))
                {
                    yield return (file, Path.GetRelativePath(folder, file));
                }
            }
        }
    }

    private async Task<double?> ProbeAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return (await probe.ProbeAsync(file, cancellationToken)).DurationSeconds;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unreadable file is still an episode; the job that processes it reports why it fails.
            return null;
        }
    }

    private async Task<Dictionary<string, Episode>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_episodes is { } loaded)
        {
            return loaded;
        }

        var stored = await AtomicFile.ReadJsonAsync<List<Episode>>(layout.CatalogPath, cancellationToken) ?? [];
        var episodes = stored.ToDictionary(e => e.Id, StringComparer.Ordinal);
        return Interlocked.CompareExchange(ref _episodes, episodes, null) ?? episodes;
    }

    private Task SaveAsync(Dictionary<string, Episode> episodes, CancellationToken cancellationToken)
    {
        List<Episode> snapshot;
        lock (episodes)
        {
            snapshot = [.. episodes.Values.OrderBy(e => e.Id, StringComparer.Ordinal)];
        }

        return AtomicFile.WriteJsonAsync(layout.CatalogPath, snapshot, cancellationToken);
    }

    public void Dispose() => _lock.Dispose();
}
