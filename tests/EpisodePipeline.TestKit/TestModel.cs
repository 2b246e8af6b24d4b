namespace EpisodePipeline.TestKit;

/// <summary>The tiny random-weight Whisper model (<see cref="TinyWhisperModel"/>), written once per machine into the test kit's cache.</summary>
public static class TestModel
{
    private static readonly Lazy<string> PathOnce = new(() =>
    {
        var path = System.IO.Path.Combine(TestMedia.CacheFolder, "ggml-tiny-random.bin");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(TestMedia.CacheFolder);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            TinyWhisperModel.Write(temp);
            File.Move(temp, path, overwrite: true);
        }

        return path;
    });

    public static string Path => PathOnce.Value;
}
