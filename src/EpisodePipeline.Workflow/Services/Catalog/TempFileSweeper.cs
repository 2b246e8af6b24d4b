using System.Diagnostics;
using EpisodePipeline.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Services.Catalog;

/// <summary>
/// At start-up, deletes temporary files (<c>*.tmp</c>, <c>*.tmp.wav</c>) under the data folder that no live
/// writer owns: their process (the id in the name) is gone, or is this process but the file is older than it
/// (a restarted container often gets the same id), or they have not been written for <see cref="GracePeriod"/>
/// (the only rule for names without a process id).
/// A killed extraction otherwise leaves a partial WAV as large as the audio. Runs in the background, so a
/// large data folder does not delay start-up; files of jobs that start meanwhile are this process's and new.
/// </summary>
public sealed class TempFileSweeper(DataLayout layout, TimeProvider time, ILogger<TempFileSweeper> logger) : IHostedService
{
    /// <summary>No writer leaves its temporary file untouched this long: FFmpeg and JSON writes append continuously.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromHours(1);

    private Task _sweep = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sweep = Task.Run(Sweep, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _sweep.WaitAsync(cancellationToken);

    /// <summary>Deletes the stale temporary files; returns how many.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(layout.DataFolder))
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var self = Environment.ProcessId;
        var selfStarted = ProcessStart(self);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(layout.DataFolder, "*.tmp*", options))
        {
            var name = Path.GetFileName(path);
            if (!AtomicFile.IsTempFile(name))
            {
                continue;
            }

            try
            {
                var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
                var owner = AtomicFile.OwnerProcessId(name);
                var stale = now - written > GracePeriod
                    || (owner is { } pid && (pid == self ? written < selfStarted : !IsAlive(pid)));
                if (stale)
                {
                    File.Delete(path);
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.TempFileNotRemoved(path, ex.Message);
            }
        }

        if (deleted > 0)
        {
            logger.TempFilesRemoved(deleted, layout.DataFolder);
        }

        return deleted;
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static DateTimeOffset ProcessStart(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
