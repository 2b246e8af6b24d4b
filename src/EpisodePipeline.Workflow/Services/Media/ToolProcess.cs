using System.ComponentModel;
using System.Diagnostics;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// Runs FFmpeg's command-line tools with every argument passed as one argv entry
/// (<see cref="ProcessStartInfo.ArgumentList"/>), so no file name needs quoting.
/// </summary>
internal sealed record ToolProcess(int ExitCode, string Output, string Error, bool TimedOut)
{
    public static async Task<ToolProcess> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{program}': {ex.Message}. Install FFmpeg (sudo apt-get install ffmpeg) so that {program} is on PATH.", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }

            return new ToolProcess(timedOut ? -1 : process.ExitCode, await output, await error, timedOut);
        }
    }
}
