using EpisodePipeline.Jobs;

namespace EpisodePipeline.Host.Commands;

/// <summary>What the command line exits with; README's "Command-line client" lists them.</summary>
internal static class ExitCodes
{
    /// <summary>Done: the request succeeded, the job completed, every smoke step passed.</summary>
    public const int Ok = 0;

    /// <summary>The job failed (its <c>error</c> is printed), or a smoke step found nothing to work on.</summary>
    public const int JobFailed = 1;

    /// <summary>Unknown command, unknown option or a missing argument; usage is printed.</summary>
    public const int Usage = 2;

    /// <summary>A setting is invalid, or what a local run needs is missing (the Whisper model; Ollama for Enrich).</summary>
    public const int Configuration = 3;

    /// <summary>The host refused the request (the status and problem detail are printed) or could not be reached.</summary>
    public const int RequestFailed = 4;

    /// <summary>The job was cancelled.</summary>
    public const int JobCancelled = 5;

    /// <summary>Ctrl+C: following stopped (a job on a server goes on).</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a job that has ended.</summary>
    public static int ForJob(JobStatus status) => status switch
    {
        JobStatus.Completed => Ok,
        JobStatus.Cancelled => JobCancelled,
        _ => JobFailed,
    };
}
