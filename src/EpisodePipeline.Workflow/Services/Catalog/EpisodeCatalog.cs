using System.Globalization;
using EpisodePipeline.Services.Media;
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
    private readonly SemaphoreSlim _loadLock = new(1, 1);

    // Size and time of each file as discovery last saw it, and when it saw them change (in this process).
    private readonly Dictionary<string, (long Size, DateTimeOffset Modified, DateTimeOffset SeenChanging)> _observed = new(StringComparer.Ordinal);

    // Episodes whose facts about the media were lost when the catalog was read: probed at the next discovery.
    private readonly HashSet<string> _needsProbe = new(StringComparer.Ordinal);
    private volatile Dictionary<string, Episode>? _episodes;

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

    /// <summary>
    /// Scans the input folders: adds new media, notices changed and removed files, and marks each file ready,
    /// settling (still changing) or unreadable (with the reason). New and changed files are probed together;
    /// unchanged ones never again. Idempotent; one catalog write.
    /// </summary>
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
            var input = options.Value.Input;
            var scan = InputScanner.Scan(
                input.Folders.Select(options.Value.Resolve),
                new HashSet<string>(input.Extensions, StringComparer.OrdinalIgnoreCase));
            foreach (var link in scan.Dangling)
            {
                logger.DanglingLink(link.Path, link.Target);
            }

            var byPath = new Dictionary<string, Episode>(StringComparer.Ordinal);
            foreach (var episode in before.Values.OrderBy(e => e.Id, StringComparer.Ordinal))
            {
                byPath.TryAdd(episode.MediaPath, episode);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var next = new Dictionary<string, Episode>(before, StringComparer.Ordinal);
            var toProbe = new List<string>();
            int added = 0, changed = 0;

            foreach (var file in scan.Files)
            {
                var settled = Settled(file, now);
                if (byPath.TryGetValue(file.Path, out var known))
                {
                    seen.Add(known.Id);
                    var contentChanged = known.SizeBytes != file.Size || known.ModifiedAt != file.Modified;
                    if (!contentChanged && !known.Missing && known.MediaStatus != MediaStatus.Settling && !_needsProbe.Contains(known.Id))
                    {
                        continue;
                    }

                    if (!contentChanged && !known.Missing && known.MediaStatus == MediaStatus.Settling && !settled)
                    {
                        // Still settling, nothing new about it: only the wording of how long ago it changed.
                        next[known.Id] = AsSettling(known, file, now);
                        continue;
                    }

                    var updated = known with
                    {
                        SizeBytes = file.Size,
                        ModifiedAt = file.Modified,
                        // New content makes every derived artifact stale.
                        Stage = contentChanged ? EpisodeStage.Discovered : known.Stage,
                        Missing = false,
                        UpdatedAt = now,
                    };
                    if (!settled)
                    {
                        updated = AsSettling(updated, file, now);
                    }
                    else if (contentChanged || known.MediaStatus == MediaStatus.Settling || _needsProbe.Contains(known.Id))
                    {
                        toProbe.Add(known.Id);
                    }

                    next[known.Id] = updated;
                    changed++;
                    continue;
                }

                var id = EpisodeIds.FromRelativePath(file.Relative);
                if (next.ContainsKey(id))
                {
                    id = $"{id[..Math.Min(id.Length, EpisodeIds.MaxLength - 9)]}-{EpisodeIds.ShortHash(file.Path)}";
                }

                var fresh = new Episode
                {
                    Id = id,
                    Title = Path.GetFileNameWithoutExtension(file.Path),
                    MediaPath = file.Path,
                    SizeBytes = file.Size,
                    ModifiedAt = file.Modified,
                    DiscoveredAt = now,
                    UpdatedAt = now,
                };
                if (settled)
                {
                    toProbe.Add(id);
                }
                else
                {
                    fresh = AsSettling(fresh, file, now);
                }

                next[id] = fresh;
                seen.Add(id);
                added++;
            }

            await ProbeAsync(next, toProbe, cancellationToken);

            // Forget what was seen of files that are gone, so the memory of sizes and times stays as big as the library.
            var present = scan.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _observed.Keys.Where(p => !present.Contains(p)).ToList())
            {
                _observed.Remove(gone);
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
            _needsProbe.ExceptWith(seen);
            var found = seen.Select(id => next[id]).ToList();
            logger.Discovered(seen.Count, added, changed, missing);
            return new DiscoveryResult(
                seen.Count, added, changed, missing,
                found.Count(e => e.MediaStatus == MediaStatus.Ready),
                found.Count(e => e.MediaStatus == MediaStatus.Settling),
                found.Count(e => e.MediaStatus == MediaStatus.Unreadable),
                scan.Skipped,
                scan.Dangling,
                [.. next.Values.OrderBy(e => e.Id, StringComparer.Ordinal)]);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// A file is settled once neither its modification time nor what this process last saw of it changed for
    /// the settle period. The time alone is not enough: some copy tools set the source's time before the data is in.
    /// </summary>
    private bool Settled(ScannedFile file, DateTimeOffset now)
    {
        var settle = TimeSpan.FromSeconds(options.Value.Input.SettleSeconds);
        var observed = _observed.TryGetValue(file.Path, out var last) && last.Size == file.Size && last.Modified == file.Modified
            ? last
            : (file.Size, file.Modified, SeenChanging: _observed.ContainsKey(file.Path) ? now : DateTimeOffset.MinValue);
        _observed[file.Path] = observed;
        var stableSince = observed.SeenChanging > file.Modified ? observed.SeenChanging : file.Modified;
        return now - stableSince >= settle;
    }

    private Episode AsSettling(Episode episode, ScannedFile file, DateTimeOffset now)
    {
        var settle = options.Value.Input.SettleSeconds;
        var age = Math.Max(0, (now - file.Modified).TotalSeconds);
        return episode with
        {
            MediaStatus = MediaStatus.Settling,
            MediaProblem = string.Create(CultureInfo.InvariantCulture,
                $"The file changed {age:F0} s ago and is probably still being copied in; it is probed once it has not changed for {settle:0.#} s (Pipeline:Input:SettleSeconds): run discovery again then."),
            DurationSeconds = null,
            AudioTracks = [],
        };
    }

    /// <summary>Probes the new and changed files together (the probe batches and bounds them) and records what it found.</summary>
    private async Task ProbeAsync(Dictionary<string, Episode> next, List<string> toProbe, CancellationToken cancellationToken)
    {
        if (toProbe.Count == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        var outcomes = await probe.ProbeManyAsync([.. toProbe.Select(id => next[id].MediaPath)], cancellationToken);
        for (var i = 0; i < toProbe.Count; i++)
        {
            var (id, outcome) = (toProbe[i], outcomes[i]);
            var episode = next[id];
            next[id] = outcome.Info switch
            {
                null => episode with { MediaStatus = MediaStatus.Unreadable, MediaProblem = outcome.Problem, DurationSeconds = null, AudioTracks = [] },
                { AudioTracks.Count: 0 } info => episode with
                {
                    MediaStatus = MediaStatus.Unreadable,
                    MediaProblem = info.HasVideo
                        ? "It has no audio track (a video without sound, such as a screen recording): there is nothing to transcribe."
                        : "It has no audio track: there is nothing to transcribe.",
                    DurationSeconds = info.DurationSeconds,
                    AudioTracks = [],
                },
                { } info => episode with { MediaStatus = MediaStatus.Ready, MediaProblem = null, DurationSeconds = info.DurationSeconds, AudioTracks = info.AudioTracks },
            };
        }

        logger.Probed(toProbe.Count, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<Dictionary<string, Episode>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_episodes is { } loaded)
        {
            return loaded;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            if (_episodes is { } raced)
            {
                return raced;
            }

            var content = await CatalogReader.ReadAsync(layout.CatalogPath, time, logger, cancellationToken);
            _needsProbe.UnionWith(content.NeedsProbe);
            _episodes = content.Episodes;
            return content.Episodes;
        }
        finally
        {
            _loadLock.Release();
        }
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

    public void Dispose()
    {
        _lock.Dispose();
        _loadLock.Dispose();
    }
}
