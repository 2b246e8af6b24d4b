using System.Diagnostics;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class TempFileTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("episodepipeline-temp-").FullName;

    [Fact]
    public void TempPathFor_Name_CarriesTheProcessIdTheSweepReads()
    {
        var temp = Path.GetFileName(AtomicFile.TempPathFor(Path.Combine(_data, "episodes", "a", "audio.wav")));

        Assert.True(AtomicFile.IsTempFile(temp));
        Assert.Equal(Environment.ProcessId, AtomicFile.OwnerProcessId(temp));
    }

    [Theory]
    [InlineData("audio.wav.4242.0123456789abcdef0123456789abcdef.tmp.wav", 4242)]
    [InlineData("catalog.json.17.0123456789abcdef0123456789abcdef.tmp", 17)]
    [InlineData("my.file.name.json.99.0123456789abcdef0123456789abcdef.tmp", 99)]
    [InlineData("notes.tmp", null)]
    [InlineData("x.abc.0123456789abcdef0123456789abcdef.tmp", null)]
    public void OwnerProcessId_FromName(string name, int? expected) => Assert.Equal(expected, AtomicFile.OwnerProcessId(name));

    [Fact]
    public async Task WriteJsonAsync_SerializationFails_LeavesNoTempFile()
    {
        var path = Path.Combine(_data, "bad.json");

        await Assert.ThrowsAnyAsync<Exception>(() => AtomicFile.WriteJsonAsync(path, new Throwing()));

        Assert.Empty(Directory.GetFiles(_data));
    }

    [Fact]
    public async Task WriteTextAsync_Cancelled_LeavesNoTempFile()
    {
        var path = Path.Combine(_data, "t.txt");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteTextAsync(path, "text", new CancellationToken(canceled: true)));

        Assert.Empty(Directory.GetFiles(_data));
    }

    [Fact]
    public async Task Sweep_StaleTempFiles_RemovedAndEverythingElseKept()
    {
        var folder = Path.Combine(_data, "episodes", "ep");
        Directory.CreateDirectory(folder);
        var deadPid = await DeadProcessIdAsync();
        const string Guid32 = "0123456789abcdef0123456789abcdef";

        var deadWriter = Touch(folder, $"audio.wav.{deadPid}.{Guid32}.tmp.wav");
        var deadJson = Touch(folder, $"transcript.json.{deadPid}.{Guid32}.tmp");
        var ownOld = Touch(folder, $"segment.json.{Environment.ProcessId}.{Guid32}.tmp", DateTime.UtcNow.AddDays(-3));
        var liveOld = Touch(folder, $"catalog.json.{Environment.ProcessId}.{Guid32}.tmp", DateTime.UtcNow - TempFileSweeper.GracePeriod - TimeSpan.FromMinutes(1));
        var noOwnerOld = Touch(folder, "leftover.tmp", DateTime.UtcNow.AddDays(-1));

        var ownFresh = Touch(folder, $"audio.wav.{Environment.ProcessId}.{Guid32.Replace('0', '1')}.tmp");
        var noOwnerFresh = Touch(folder, "fresh.tmp");
        var artifact = Touch(folder, "audio.wav");
        var lookalike = Touch(folder, "audio.tmp.json");

        var sweeper = new TempFileSweeper(Layout(), TimeProvider.System, NullLogger<TempFileSweeper>.Instance);
        var removed = sweeper.Sweep();

        Assert.Equal(5, removed);
        Assert.All(new[] { deadWriter, deadJson, ownOld, liveOld, noOwnerOld }, p => Assert.False(File.Exists(p), $"{Path.GetFileName(p)} should be gone"));
        Assert.All(new[] { ownFresh, noOwnerFresh, artifact, lookalike }, p => Assert.True(File.Exists(p), $"{Path.GetFileName(p)} should stay"));
    }

    [Fact]
    public void Sweep_NoDataFolderYet_DoesNothing()
    {
        Directory.Delete(_data, recursive: true);
        Assert.Equal(0, new TempFileSweeper(Layout(), TimeProvider.System, NullLogger<TempFileSweeper>.Instance).Sweep());
    }

    private DataLayout Layout() =>
        new(Microsoft.Extensions.Options.Options.Create(new PipelineOptions { Root = _data, DataFolder = "." }));

    private static string Touch(string folder, string name, DateTime? writtenUtc = null)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "partial");
        if (writtenUtc is { } at)
        {
            File.SetLastWriteTimeUtc(path, at);
        }

        return path;
    }

    /// <summary>The id of a process that has exited (ids are not reused this quickly).</summary>
    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private sealed class Throwing
    {
        public string Value => throw new InvalidOperationException("cannot serialize");
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
