using System.Globalization;
using EpisodePipeline.Host.Client;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EpisodePipeline.Host.Commands;

/// <summary>
/// Follows a job until it ends, reading it every <see cref="Interval"/>. On an interactive terminal a live
/// Spectre.Console progress bar shows its stage, message, progress and ETA; elsewhere (output redirected to a file or a
/// CI log, a test's console) one line is written whenever its status, stage or message changes.
/// </summary>
internal sealed class JobProgress(IAnsiConsole console)
{
    private const string EtaKey = "eta";

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads the job until it is completed, failed or cancelled, showing progress on the way; answers the last read.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> stopped following; the job itself goes on.</exception>
    public Task<ApiAnswer<JobResponse>> FollowAsync(Func<CancellationToken, Task<ApiAnswer<JobResponse>>> read, CancellationToken cancellationToken) =>
        console.Profile.Capabilities is { Interactive: true, Ansi: true }
            ? FollowWithBarAsync(read, cancellationToken)
            : FollowWithLinesAsync(read, cancellationToken);

    /// <summary>Reads the job until it ends without showing anything (<c>--json</c>).</summary>
    public async Task<ApiAnswer<JobResponse>> WaitAsync(Func<CancellationToken, Task<ApiAnswer<JobResponse>>> read, CancellationToken cancellationToken)
    {
        var job = await read(cancellationToken);
        while (!HasEnded(job.Value))
        {
            await Task.Delay(Interval, cancellationToken);
            job = await read(cancellationToken);
        }

        return job;
    }

    public static bool HasEnded(JobResponse job) => job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary><c>12 s</c>, <c>3:05</c>, <c>1:02:03</c>.</summary>
    public static string FormatSeconds(double seconds)
    {
        var time = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return time.TotalMinutes < 1 ? $"{time.Seconds} s"
            : time.TotalHours < 1 ? time.ToString(@"m\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>One plain line: <c> 20% transcribing  Transcribing segment 2/3  ETA 12 s</c>.</summary>
    public static string Line(JobResponse job)
    {
        var eta = job.EtaSeconds is { } s && job.Status == JobStatus.Running ? $"  ETA {FormatSeconds(s)}" : "";
        return $"{job.Progress,5:0}% {WireName.Of(job.CurrentStage),-12} {job.Message}{eta}";
    }

    private async Task<ApiAnswer<JobResponse>> FollowWithLinesAsync(Func<CancellationToken, Task<ApiAnswer<JobResponse>>> read, CancellationToken cancellationToken)
    {
        (JobStatus, JobPhase, string)? shown = null;
        while (true)
        {
            var job = await read(cancellationToken);
            var state = (job.Value.Status, job.Value.CurrentStage, job.Value.Message);
            if (shown != state)
            {
                console.WriteLine(Line(job.Value));
                shown = state;
            }

            if (HasEnded(job.Value))
            {
                return job;
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }

    private async Task<ApiAnswer<JobResponse>> FollowWithBarAsync(Func<CancellationToken, Task<ApiAnswer<JobResponse>>> read, CancellationToken cancellationToken)
    {
        var job = await read(cancellationToken);
        await new Progress(console)
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new EtaColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(job.Value), maxValue: 100);
                while (true)
                {
                    task.Description = Describe(job.Value);
                    task.Value = job.Value.Progress;
                    task.State.Update<double>(EtaKey, _ => job.Value.EtaSeconds is { } eta && job.Value.Status == JobStatus.Running ? eta : -1);
                    if (HasEnded(job.Value))
                    {
                        task.StopTask();
                    }

                    // Show every state read at once, not at the next timed refresh: short stages would otherwise flash by unseen.
                    context.Refresh();
                    if (HasEnded(job.Value))
                    {
                        return;
                    }

                    await Task.Delay(Interval, cancellationToken);
                    job = await read(cancellationToken);
                }
            });
        return job;
    }

    private static string Describe(JobResponse job) =>
        $"[bold]{Markup.Escape(WireName.Of(job.CurrentStage))}[/] {Markup.Escape(job.Message)}";

    /// <summary>The job's own <c>eta_seconds</c> (extrapolated by the host), not Spectre's estimate from the bar's speed.</summary>
    private sealed class EtaColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var eta = task.State.Get<double>(EtaKey);
            return new Text(eta < 0 || task.IsFinished ? "ETA --" : $"ETA {FormatSeconds(eta)}", new Style(Color.Blue));
        }
    }
}
