using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EpisodePipeline.TestKit;

/// <summary>
/// A real Azurite (from the repository's <c>node_modules</c>, installed by <c>npm ci</c>) on free
/// loopback ports, in memory, for one test run.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _folder;

    private Azurite(Process process, string folder, int blob, int queue, int table)
    {
        _process = process;
        _folder = folder;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = Path.Combine(RepositoryRoot.Find(), "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at '{executable}'. Run 'npm ci' in the repository root.");
        }

        int blob = FreePorts.Next(), queue = FreePorts.Next(), table = FreePorts.Next();
        // In memory; the working folder keeps Azurite's own files out of the repository.
        var folder = Directory.CreateTempSubdirectory("azurite-").FullName;
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
            ArgumentList =
            {
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new Azurite(process, folder, blob, queue, table);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForPortAsync(port, process, timeout.Token);
        }

        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            // A killed process exits within milliseconds; if it does not, fail instead of hanging.
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task WaitForPortAsync(int port, Process process, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}

/// <summary>Finds the repository root (the folder with EpisodePipeline.sln) from the running assembly.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EpisodePipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EpisodePipeline.sln above '{AppContext.BaseDirectory}'.");
    }
}
