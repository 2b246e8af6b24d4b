using System.Diagnostics;
using System.Text;
using EpisodePipeline.TestKit;

namespace EpisodePipeline.Tests.Support;

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
        var port = Azurite.FreePort();
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
        await Poll.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The host exited with {process.ExitCode}:\n{host.Output}");
                }

                try
                {
                    return (await http.GetAsync("/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            ok => ok, timeout, "the host to answer /health", intervalMs: 200);
        return host;
    }

    /// <summary>Ends the process at once, as a crash or power cut would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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
