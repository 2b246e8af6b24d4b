using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace EpisodePipeline.Host.Sidecar;

/// <summary>
/// The backend as the sidecar's dispatchers see it. Two things differ from the raw backend:
/// <list type="number">
/// <item>Concurrency limits are out of the way: the in-memory backend reports the core count, and the
/// sidecar's dispatcher sleeps 500 ms whenever it is at its limit. The sidecar only hands work to its
/// one worker, which queues it and applies <c>Host:MaxConcurrentActivities</c> and
/// <c>Host:MaxConcurrentOrchestrations</c> itself, so the sidecar needs no limit of its own.</item>
/// <item>Locks of running activity work items are renewed: the sidecar never calls
/// <see cref="IOrchestrationService.RenewTaskActivityWorkItemLockAsync"/>, so with Azure Storage an
/// activity longer than the queue visibility timeout would be delivered, and run, a second time.</item>
/// <item>With <c>dropOrphanedMessages</c> (the in-memory backend), messages for an instance that no longer exists
/// are dropped. An activity still running when its job was cancelled and then purged reports to an instance
/// with no history; the sidecar's dispatcher fails on such a work item ("Could not find an orchestration instance
/// ID") and the in-memory backend hands it back at once, forever. Azure Storage discards those messages itself.</item>
/// </list>
/// Only <see cref="IOrchestrationService"/> is decorated; the raw backend stays the sidecar's
/// <see cref="IOrchestrationServiceClient"/>, so its query and purge interfaces remain visible.
/// </summary>
internal sealed class TunedOrchestrationService(
    IOrchestrationService inner,
    TimeSpan? renewActivityLocksEvery,
    bool dropOrphanedMessages,
    ILogger<TunedOrchestrationService> logger) : IOrchestrationService, IAsyncDisposable
{
    /// <summary>Work items the sidecar may hand out at once; high enough that it never sleeps at the limit.</summary>
    public const int DispatchLimit = 10_000;

    private readonly ConcurrentDictionary<string, InFlightActivity> _inFlight = new(StringComparer.Ordinal);
    private CancellationTokenSource? _renewCts;
    private Task? _renewLoop;
    private int _stopped;
    private int _forceStopped;
    private int _disposed;
    private long _renewals;
    private long _orphansDropped;

    /// <summary>Activity lock renewals so far.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);

    /// <summary>Orchestration work items dropped because their instance no longer exists (purged).</summary>
    public long OrphansDropped => Interlocked.Read(ref _orphansDropped);

    public int MaxConcurrentTaskActivityWorkItems => DispatchLimit;

    public int MaxConcurrentTaskOrchestrationWorkItems => DispatchLimit;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public async Task StartAsync()
    {
        Volatile.Write(ref _stopped, 0);
        Volatile.Write(ref _forceStopped, 0);
        await inner.StartAsync();
        if (renewActivityLocksEvery is { } interval && _renewLoop is null)
        {
            _renewCts = new CancellationTokenSource();
            _renewLoop = RenewLoopAsync(interval, _renewCts.Token);
        }
    }

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// The sidecar's dispatcher host stops gracefully and <see cref="SidecarServer"/> forcefully; each
    /// reaches the backend once, so a forced stop still gets through while a graceful one is waiting.
    /// A stop after <see cref="DisposeAsync"/> does nothing.
    /// </summary>
    /// <remarks>
    /// The dispatcher host's graceful stop runs from an application-stopping callback (an <c>async void</c>), which
    /// can come after the server has disposed the backend; Azure Storage's lease manager then throws
    /// <see cref="ObjectDisposedException"/>, and from there it would take the whole process down.
    /// </remarks>
    public async Task StopAsync(bool isForced)
    {
        if (Volatile.Read(ref _disposed) == 1 || Interlocked.Exchange(ref isForced ? ref _forceStopped : ref _stopped, 1) == 1)
        {
            return;
        }

        await StopRenewLoopAsync();
        try
        {
            await inner.StopAsync(isForced);
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 1)
        {
            // Disposed while stopping: nothing is left to stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopRenewLoopAsync();
        (inner as IDisposable)?.Dispose();
    }

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
            if (!dropOrphanedMessages || workItem is null || !IsOrphaned(workItem))
            {
                return workItem!;
            }

            // The in-memory backend took the messages out of its queue into the work item; releasing the lock without
            // abandoning the work item (which would queue them again) drops them.
            Interlocked.Increment(ref _orphansDropped);
            logger.OrphanedMessagesDropped(workItem.InstanceId, workItem.NewMessages.Count);
            await inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
    }

    /// <summary>No history and no message that starts one: the instance was purged (or never existed).</summary>
    private static bool IsOrphaned(TaskOrchestrationWorkItem workItem) =>
        workItem.OrchestrationRuntimeState?.ExecutionStartedEvent is null
        && !workItem.NewMessages.Any(m => m.Event is ExecutionStartedEvent);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null && renewActivityLocksEvery is not null && workItem.LockedUntilUtc > DateTime.UtcNow)
        {
            _inFlight[workItem.Id] = new InFlightActivity(workItem, workItem.LockedUntilUtc - DateTime.UtcNow);
        }

        return workItem!;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        await StopTrackingAsync(workItem);
        await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        await StopTrackingAsync(workItem);
        await inner.AbandonTaskActivityWorkItemAsync(workItem);
    }

    private async Task StopTrackingAsync(TaskActivityWorkItem workItem)
    {
        if (_inFlight.TryRemove(workItem.Id, out var entry))
        {
            // A renewal changes the queue message's pop receipt; it must not race the delete that completes it.
            await entry.Gate.WaitAsync();
            entry.Done = true;
            entry.Gate.Release();
        }
    }

    private async Task RenewLoopAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = DateTime.UtcNow;
                foreach (var entry in _inFlight.Values)
                {
                    // Renew at half-life, and always before the next tick could come too late.
                    var remaining = entry.WorkItem.LockedUntilUtc - now;
                    if (remaining < entry.LockDuration / 2 || remaining < interval * 2)
                    {
                        _ = RenewAsync(entry);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewAsync(InFlightActivity entry)
    {
        if (!await entry.Gate.WaitAsync(0))
        {
            return;
        }

        try
        {
            if (entry.Done)
            {
                return;
            }

            var renewed = await inner.RenewTaskActivityWorkItemLockAsync(entry.WorkItem);
            entry.WorkItem.LockedUntilUtc = renewed.LockedUntilUtc;
            Interlocked.Increment(ref _renewals);
            logger.LockRenewed(entry.WorkItem.Id, (entry.WorkItem.TaskMessage?.Event as TaskScheduledEvent)?.Name, renewed.LockedUntilUtc);
        }
        catch (Exception ex)
        {
            logger.LockRenewalFailed(ex, entry.WorkItem.Id);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private async Task StopRenewLoopAsync()
    {
        if (_renewCts is { } cts)
        {
            await cts.CancelAsync();
            await (_renewLoop ?? Task.CompletedTask);
            cts.Dispose();
            _renewCts = null;
            _renewLoop = null;
        }
    }

    private sealed class InFlightActivity(TaskActivityWorkItem workItem, TimeSpan lockDuration)
    {
        public TaskActivityWorkItem WorkItem { get; } = workItem;

        public TimeSpan LockDuration { get; } = lockDuration;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Done { get; set; }
    }
}
