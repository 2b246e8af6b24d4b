using System.Diagnostics;
using EpisodePipeline.Logging;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Jobs;

/// <summary>
/// Every job in the task hub as a small <see cref="JobIndexEntry"/> (id, type, status, episode, times), held in
/// memory so that <c>GET /async/jobs</c> and <c>GET /async/stats</c> do not read every instance on every call.
/// </summary>
/// <remarks>
/// <para>How it stays right: the first <see cref="RefreshAsync"/> reads every instance once (the build). Every later
/// one asks the store two filtered questions: instances created since the previous refresh (less
/// <see cref="CreationAllowance"/>, for instances whose record is written a little after their creation time) and
/// instances that are queued or running now. Entries the index holds as active that are no longer active are read
/// one by one (they finished, or were purged). Each refresh began after the request that waits for it arrived, so an
/// answer reflects every change the store had made when the request came in.</para>
/// <para>Instances that disappear are noticed when a page of the list meets them, when they are purged through
/// <see cref="PurgeFinishedAsync"/>, and by a full re-read every <see cref="ReconcileInterval"/> (in the background,
/// started by a request), which also finds any instance whose record appeared later than the allowance.</para>
/// <para>One process per task hub and data folder: another process that starts jobs in the same hub is seen at its
/// next refresh; one that purges them, at the next full re-read. The index lives in memory; after a restart the first
/// refresh builds it again.</para>
/// </remarks>
public sealed class JobIndex : IDisposable
{
    /// <summary>
    /// How much earlier than the previous refresh a new instance's creation time may lie. It matters only for a job
    /// created and finished between two refreshes (any job still queued or running is found by the active-jobs
    /// query): the backends write an instance's record right after stamping its creation time (the in-memory one moves
    /// that time back by a moment at the start event). Every refresh reads again the instances created within it, so
    /// it is short; a record later than this is found by the next full re-read.
    /// </summary>
    public static readonly TimeSpan CreationAllowance = TimeSpan.FromSeconds(5);

    /// <summary>How often every instance is read again, to notice instances removed or written behind the index's back.</summary>
    public static readonly TimeSpan DefaultReconcileInterval = TimeSpan.FromMinutes(10);

    // The most the backends return in one page (Azure Storage's table queries).
    private const int PageSize = 1000;

    // Point reads in flight at once: finished jobs the active-jobs query no longer lists, sparse pages, purges.
    private const int PointReads = 16;

    // A page is read with one range query when the range holds at most this many times its jobs.
    private const int DenseRangeFactor = 5;

    private static readonly IReadOnlyList<OrchestrationRuntimeStatus> ActiveStatuses =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
    ];

    private readonly TimeProvider _time;
    private readonly ILogger<JobIndex> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobIndexEntry> _byId = new(StringComparer.Ordinal);
    private readonly SortedSet<JobIndexEntry> _newestFirst = new(NewestFirst.Instance);
    private readonly int[] _counts = new int[Enum.GetValues<JobStatus>().Length];
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    // Guarded by _refresh.
    private long _lastRefreshStarted = long.MinValue;
    private DateTimeOffset? _watermark;

    // Guarded by _gate.
    private DateTimeOffset _lastFullRead;
    private Task _reconcile = Task.CompletedTask;

    public JobIndex(TimeProvider time, ILogger<JobIndex> logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>How often every instance is read again; <see cref="DefaultReconcileInterval"/> unless a test says otherwise.</summary>
    public TimeSpan ReconcileInterval { get; init; } = DefaultReconcileInterval;

    /// <summary>
    /// Brings the index up to date with the store: the first call reads every instance, later calls only what changed.
    /// Concurrent callers share one refresh; every caller waits for one that began after it called.
    /// </summary>
    public async Task RefreshAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var arrived = Stopwatch.GetTimestamp();
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_lastRefreshStarted > arrived)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var now = _time.GetUtcNow();
            if (_watermark is { } watermark)
            {
                await CatchUpAsync(client, watermark - CreationAllowance, cancellationToken);
            }
            else
            {
                await BuildAsync(client, now, cancellationToken);
            }

            _watermark = now;
            _lastRefreshStarted = started;
        }
        finally
        {
            _refresh.Release();
        }

        StartReconcileIfDue(client);
    }

    /// <summary>Jobs per status as the index holds them now.</summary>
    public JobCounts Counts()
    {
        lock (_gate)
        {
            return new JobCounts(
                _counts[(int)JobStatus.Queued],
                _counts[(int)JobStatus.Running],
                _counts[(int)JobStatus.Completed],
                _counts[(int)JobStatus.Failed],
                _counts[(int)JobStatus.Cancelled]);
        }
    }

    /// <summary>
    /// Up to <paramref name="take"/> entries, newest first (creation time, then id), matching the filters, after
    /// <paramref name="after"/> in that order when given.
    /// </summary>
    public IReadOnlyList<JobIndexEntry> Page(JobStatus? status, string? episodeId, int take, (DateTimeOffset CreatedAt, string JobId)? after = null)
    {
        lock (_gate)
        {
            if (_newestFirst.Count == 0)
            {
                return [];
            }

            IEnumerable<JobIndexEntry> from = _newestFirst;
            if (after is { } position)
            {
                var probe = new JobIndexEntry(position.JobId, "", default, position.CreatedAt, default, null);
                if (NewestFirst.Instance.Compare(probe, _newestFirst.Max!) > 0)
                {
                    return [];
                }

                from = _newestFirst.GetViewBetween(probe, _newestFirst.Max!).Where(e => NewestFirst.Instance.Compare(e, probe) != 0);
            }

            return [.. from
                .Where(e => (status is null || e.Status == status) && (episodeId is null || string.Equals(e.EpisodeId, episodeId, StringComparison.Ordinal)))
                .Take(take)];
        }
    }

    /// <summary>
    /// Reads the jobs of a <see cref="Page"/> from the store with their inputs and outputs, in the page's order; null
    /// for a job the store no longer has (the index forgets it). A page whose jobs lie close together in creation time
    /// is read with one query over that time range and the page's statuses (Azurite answers every table query, a read
    /// by id too, by scanning the instances table; twenty reads by id cost twenty scans); a sparse page, and any job
    /// the range missed, by id.
    /// </summary>
    public async Task<IReadOnlyList<OrchestrationMetadata?>> ReadAsync(DurableTaskClient client, IReadOnlyList<JobIndexEntry> page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(page);
        var found = new Dictionary<string, OrchestrationMetadata>(StringComparer.Ordinal);
        if (page.Count > 1 && IsDense(page))
        {
            var rows = await QueryAsync(
                client,
                new OrchestrationQuery
                {
                    CreatedFrom = page[^1].CreatedAt,
                    CreatedTo = page[0].CreatedAt,
                    Statuses = [.. page.Select(e => e.RuntimeStatus).Distinct()],
                    FetchInputsAndOutputs = true,
                    PageSize = PageSize,
                },
                cancellationToken);
            foreach (var row in rows)
            {
                found[row.InstanceId] = row;
            }
        }

        var missing = page.Select(e => e.JobId).Where(id => !found.ContainsKey(id)).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = PointReads, CancellationToken = cancellationToken }, async (jobId, token) =>
        {
            if (await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, token) is { } metadata)
            {
                lock (found)
                {
                    found[jobId] = metadata;
                }
            }
        });

        var read = page.Select(e => found.GetValueOrDefault(e.JobId)).ToList();
        lock (_gate)
        {
            for (var i = 0; i < page.Count; i++)
            {
                if (read[i] is { } metadata)
                {
                    Upsert(metadata);
                }
                else
                {
                    Remove(page[i].JobId);
                    _logger.JobForgotten(page[i].JobId);
                }
            }
        }

        return read;
    }

    /// <summary>
    /// Purges from the durable store every finished job (completed, failed or cancelled) created before
    /// <paramref name="createdBefore"/>, instance by instance (a few at a time) through <paramref name="client"/>, and
    /// drops them from the index. Orchestrations that are not jobs are left alone. List and stats requests go on
    /// meanwhile. Returns how many instances the store purged.
    /// </summary>
    public async Task<int> PurgeFinishedAsync(DurableTaskClient client, DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await RefreshAsync(client, cancellationToken);
        List<string> finished;
        lock (_gate)
        {
            finished = [.. _byId.Values.Where(e => !e.IsActive && e.CreatedAt < createdBefore).Select(e => e.JobId)];
        }

        var purged = 0;
        var gone = new System.Collections.Concurrent.ConcurrentQueue<string>();
        try
        {
            await Parallel.ForEachAsync(finished, new ParallelOptions { MaxDegreeOfParallelism = PointReads, CancellationToken = cancellationToken }, async (jobId, token) =>
            {
                var result = await client.PurgeInstanceAsync(jobId, cancellation: token);
                Interlocked.Add(ref purged, result.PurgedInstanceCount);
                // Gone either way: purged now, or already gone from the store.
                gone.Enqueue(jobId);
                lock (_gate)
                {
                    Remove(jobId);
                }
            });
        }
        finally
        {
            // A refresh that read the store before an instance was purged may have put it back; none that starts now can.
            await _refresh.WaitAsync(CancellationToken.None);
            try
            {
                lock (_gate)
                {
                    foreach (var jobId in gone)
                    {
                        Remove(jobId);
                    }
                }
            }
            finally
            {
                _refresh.Release();
            }
        }

        return purged;
    }

    /// <summary>Stops a background re-read in progress.</summary>
    public void Dispose()
    {
        // Not disposed: a request or re-read still under way may hold them; they own no unmanaged resource.
        _stopping.Cancel();
    }

    /// <summary>
    /// True when a query over the page's creation-time range and statuses would return few more instances than the page
    /// holds: at most <see cref="DenseRangeFactor"/> times as many, by the index's count.
    /// </summary>
    private bool IsDense(IReadOnlyList<JobIndexEntry> page)
    {
        var statuses = page.Select(e => e.RuntimeStatus).ToHashSet();
        var limit = Math.Max(50, page.Count * DenseRangeFactor);
        lock (_gate)
        {
            return _newestFirst.GetViewBetween(
                    new JobIndexEntry("", "", default, page[0].CreatedAt, default, null),
                    new JobIndexEntry("\uffff", "", default, page[^1].CreatedAt, default, null))
                .Where(e => statuses.Contains(e.RuntimeStatus))
                .Take(limit + 1)
                .Count() <= limit;
        }
    }

    private async Task BuildAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var rows = await QueryAsync(client, new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = PageSize }, cancellationToken);
        lock (_gate)
        {
            _byId.Clear();
            _newestFirst.Clear();
            Array.Clear(_counts);
            foreach (var row in rows)
            {
                Upsert(row);
            }

            _lastFullRead = now;
            _logger.JobIndexBuilt(_byId.Count, rows.Count, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>New instances since <paramref name="createdFrom"/> and the active ones; entries that stopped being active are read one by one.</summary>
    private async Task CatchUpAsync(DurableTaskClient client, DateTimeOffset createdFrom, CancellationToken cancellationToken)
    {
        // Inputs carry the episode id of a new job; the active ones are few, and Azure Storage returns outputs either way.
        var recent = QueryAsync(client, new OrchestrationQuery { CreatedFrom = createdFrom, FetchInputsAndOutputs = true, PageSize = PageSize }, cancellationToken);
        var active = QueryAsync(client, new OrchestrationQuery { Statuses = ActiveStatuses, FetchInputsAndOutputs = true, PageSize = PageSize }, cancellationToken);
        var rows = (await recent).Concat(await active).ToList();
        var activeIds = (await active).Select(m => m.InstanceId).ToHashSet(StringComparer.Ordinal);
        List<string> changed;
        lock (_gate)
        {
            foreach (var row in rows)
            {
                Upsert(row);
            }

            changed = [.. _byId.Values.Where(e => e.IsActive && !activeIds.Contains(e.JobId)).Select(e => e.JobId)];
        }

        await ReadEachAsync(client, changed, cancellationToken);
    }

    private void StartReconcileIfDue(DurableTaskClient client)
    {
        lock (_gate)
        {
            if (!_reconcile.IsCompleted || _time.GetUtcNow() - _lastFullRead < ReconcileInterval || _stopping.IsCancellationRequested)
            {
                return;
            }

            // Marked now, so that a failing re-read is tried again one interval later, not on every request.
            _lastFullRead = _time.GetUtcNow();
            var stopping = _stopping.Token;
            _reconcile = Task.Run(() => ReconcileAsync(client, stopping));
        }
    }

    /// <summary>Reads every instance again; entries the re-read did not meet are read one by one before they are dropped.</summary>
    private async Task ReconcileAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var rows = await QueryAsync(client, new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = PageSize }, cancellationToken);
            var seen = rows.Select(m => m.InstanceId).ToHashSet(StringComparer.Ordinal);
            await _refresh.WaitAsync(cancellationToken);
            try
            {
                int before, added;
                List<string> unseen;
                lock (_gate)
                {
                    before = _byId.Count;
                    foreach (var row in rows)
                    {
                        Upsert(row);
                    }

                    added = _byId.Count - before;
                    // Also those created while the re-read ran: the point read keeps them.
                    unseen = [.. _byId.Values.Where(e => !seen.Contains(e.JobId)).Select(e => e.JobId)];
                }

                await ReadEachAsync(client, unseen, cancellationToken);
                int removed;
                lock (_gate)
                {
                    removed = before + added - _byId.Count;
                }

                _logger.JobIndexReconciled(added, removed, clock.Elapsed.TotalMilliseconds);
            }
            finally
            {
                _refresh.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.JobIndexReconcileFailed(ex, ReconcileInterval.TotalMinutes);
        }
    }

    /// <summary>Reads each job by id: the store's view replaces the entry's, or the entry goes when the store has no such instance.</summary>
    private async Task ReadEachAsync(DurableTaskClient client, List<string> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(jobIds, new ParallelOptions { MaxDegreeOfParallelism = PointReads, CancellationToken = cancellationToken }, async (jobId, token) =>
        {
            var metadata = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, token);
            lock (_gate)
            {
                if (metadata is null)
                {
                    Remove(jobId);
                }
                else if (_byId.ContainsKey(jobId))
                {
                    // Read without its input: it may only update an entry still held.
                    Upsert(metadata);
                }
            }
        });
    }

    private static async Task<List<OrchestrationMetadata>> QueryAsync(DurableTaskClient client, OrchestrationQuery query, CancellationToken cancellationToken)
    {
        var rows = new List<OrchestrationMetadata>();
        await foreach (var metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            rows.Add(metadata);
        }

        return rows;
    }

    /// <summary>Adds a job, or updates its status from a view at least as new as the one held. Caller holds <see cref="_gate"/>.</summary>
    private void Upsert(OrchestrationMetadata metadata)
    {
        if (JobTypes.Of(metadata.Name) is not { } jobType)
        {
            return;
        }

        if (!_byId.TryGetValue(metadata.InstanceId, out var held))
        {
            // Every query above fetches inputs; a point read only ever updates an entry already held.
            Add(new JobIndexEntry(metadata.InstanceId, jobType, metadata.RuntimeStatus, metadata.CreatedAt, metadata.LastUpdatedAt, JobStatusMapper.EpisodeIdOf(metadata)));
            return;
        }

        if (metadata.LastUpdatedAt < held.LastUpdatedAt || (metadata.LastUpdatedAt == held.LastUpdatedAt && metadata.RuntimeStatus == held.RuntimeStatus))
        {
            return;
        }

        Remove(held.JobId);
        Add(held with { RuntimeStatus = metadata.RuntimeStatus, LastUpdatedAt = metadata.LastUpdatedAt, CreatedAt = metadata.CreatedAt });
    }

    private void Add(JobIndexEntry entry)
    {
        _byId[entry.JobId] = entry;
        _newestFirst.Add(entry);
        _counts[(int)entry.Status]++;
    }

    private void Remove(string jobId)
    {
        if (_byId.Remove(jobId, out var entry))
        {
            _newestFirst.Remove(entry);
            _counts[(int)entry.Status]--;
        }
    }

    /// <summary>The list's order: newest creation time first, then job id, so that equal times still have one order.</summary>
    private sealed class NewestFirst : IComparer<JobIndexEntry>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(JobIndexEntry? x, JobIndexEntry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var byTime = y.CreatedAt.CompareTo(x.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.JobId, y.JobId);
        }
    }
}
