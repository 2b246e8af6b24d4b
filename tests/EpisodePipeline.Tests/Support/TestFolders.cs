using EpisodePipeline.TestKit;

namespace EpisodePipeline.Tests.Support;

/// <summary>A throw-away pipeline root: media/, data/, output/ in a fresh temp folder.</summary>
public sealed class TestFolders : IDisposable
{
    public TestFolders()
    {
        Root = Directory.CreateTempSubdirectory("episodepipeline-test-").FullName;
        Directory.CreateDirectory(Media);
    }

    public string Root { get; }

    public string Media => Path.Combine(Root, "media");

    public string Data => Path.Combine(Root, "data");

    /// <summary>Copies a made clip into the media folder under <paramref name="relativePath"/>.</summary>
    public string AddMedia(string source, string relativePath)
    {
        var target = Path.Combine(Media, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        return target;
    }

    /// <summary>Configuration that points the pipeline at this folder and the tiny model, with small segments.</summary>
    public Dictionary<string, string?> Settings(string modelPath, int segmentSeconds = 10, double overlapSeconds = 1, int parallel = 2) => new()
    {
        ["Pipeline:Root"] = Root,
        ["Pipeline:Input:Folders:0"] = "media",
        ["Pipeline:DataFolder"] = "data",
        ["Pipeline:OutputFolder"] = "output",
        ["Pipeline:Whisper:ModelPath"] = modelPath,
        ["Pipeline:Whisper:Language"] = "en",
        ["Pipeline:Whisper:Threads"] = "2",
        ["Pipeline:Whisper:SegmentSeconds"] = segmentSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pipeline:Whisper:OverlapSeconds"] = overlapSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pipeline:Whisper:ParallelSegments"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pipeline:Whisper:GpuConcurrency"] = "2",
        // Tests copy media in and discover at once; the copy is complete, so nothing needs to settle.
        ["Pipeline:Input:SettleSeconds"] = "0",
        // A host that happens to run at 02:00 must not start a batch in the middle of a test; tests start theirs by hand.
        ["Pipeline:Batch:Enabled"] = "false",
    };

    /// <summary>The same settings as command-line arguments for the standalone host.</summary>
    public static string[] AsArgs(IEnumerable<KeyValuePair<string, string?>> settings) =>
        [.. settings.SelectMany(kv => new[] { $"--{kv.Key}", kv.Value ?? "" })];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
