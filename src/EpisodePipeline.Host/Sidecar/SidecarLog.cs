namespace EpisodePipeline.Host.Sidecar;

internal static partial class SidecarLog
{
    [LoggerMessage(101, LogLevel.Debug, "Renewed lock of activity work item {WorkItemId} ({Activity}) until {LockedUntil:O}")]
    public static partial void LockRenewed(this ILogger logger, string workItemId, string? activity, DateTime lockedUntil);

    [LoggerMessage(102, LogLevel.Warning, "Could not renew the lock of activity work item {WorkItemId}")]
    public static partial void LockRenewalFailed(this ILogger logger, Exception exception, string workItemId);

    [LoggerMessage(103, LogLevel.Information, "Durable sidecar ({Backend}, task hub {TaskHub}) listening on {Address}")]
    public static partial void Started(this ILogger logger, string backend, string taskHub, Uri address);

    [LoggerMessage(104, LogLevel.Information, "Dropped {Count} message(s) for orchestration instance {InstanceId}, which no longer exists (purged while an activity of it was still running)")]
    public static partial void OrphanedMessagesDropped(this ILogger logger, string instanceId, int count);
}
