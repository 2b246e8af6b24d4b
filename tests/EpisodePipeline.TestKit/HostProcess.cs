using System.Diagnostics;
using System.Text;

namespace EpisodePipeline.TestKit;

/// <summary>The standalone host as a real process (<c>dotnet EpisodePipeline.Host.dll api ...</c>), so a test can kill it.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The most resident memory the process has used so far (Linux <c>VmHWM</c>), in bytes.</summary>
    public long PeakMemoryBytes => PeakMemoryOf(_process.Id);

    /// <summary>
    /// <c>VmHWM</c> of the host's live child processes (the Whisper worker), summed: an upper bound of their
    /// joint peak, since the two peaks need not coincide. A child that already exited is not counted.
    /// </summary>
    public long ChildrenPeakMemoryBytes => ChildrenOf(_process.Id).Sum(PeakMemoryOf);

    /// <summary>The most resident memory process <paramref name="pid"/> has used so far (Linux <c>VmHWM</c>), in bytes; 0 once it has exited.</summary>
    public static long PeakMemoryOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0; // exited meanwhile
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // pid (comm) state ppid ...; comm may contain spaces, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<HostProcess> StartAsync(IEnumerable<string> args, TimeSpan timeout)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EpisodePipeline.Host.dll");
        var port = FreePorts.Next();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[dll, "api", "--port", port.ToString(), .. args])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode}:\n{host.Output}");
            }

            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
                // One /health call slower than 2 s (a loaded machine); the overall deadline still applies.
            }

            if (deadline.Elapsed > timeout)
            {
                await host.DisposeAsync();
                throw new TimeoutException($"The host did not answer /health within {timeout.TotalSeconds:F0} s:\n{host.Output}");
            }

            await Task.Delay(200);
        }

        return host;
    }

    /// <summary>Ends the process at once, as a crash or power cut would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        // A killed process exits within milliseconds; if it does not, fail instead of hanging.
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
