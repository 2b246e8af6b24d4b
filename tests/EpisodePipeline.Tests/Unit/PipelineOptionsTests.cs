using EpisodePipeline.Http;
using EpisodePipeline.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class PipelineOptionsTests
{
    private static PipelineOptions Resolve(IConfiguration configuration)
    {
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddEpisodePipeline();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Defaults_AreValid()
    {
        var options = Resolve(Config());

        Assert.Equal(120, options.Whisper.SegmentSeconds);
        Assert.Equal(["media"], options.Input.Folders);
    }

    [Fact]
    public void WhisperConcurrency_Unset_IsDerivedFromTheCores()
    {
        var whisper = Resolve(Config()).Whisper;

        Assert.Equal(Math.Min(Environment.ProcessorCount, WhisperDefaults.MaxCpuProcessors), whisper.GpuConcurrency);
        Assert.Equal(whisper.GpuConcurrency, whisper.ParallelSegments);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / whisper.GpuConcurrency), whisper.Threads);
    }

    [Theory]
    [InlineData(2, false, 0, 0, 0, 2, 1, 2)]     // this CI machine: two single-thread processors
    [InlineData(16, false, 0, 0, 0, 4, 4, 4)]    // a big CPU: at most four processors, the cores split between them
    [InlineData(16, false, 8, 0, 0, 2, 8, 2)]    // threads set: processors follow from the cores
    [InlineData(16, false, 0, 2, 3, 2, 8, 3)]    // processors and parallel slices set: threads follow
    [InlineData(16, true, 0, 0, 0, 1, 4, 2)]     // CUDA: one processor, a few feeding threads, two slices in flight
    [InlineData(1, false, 0, 0, 0, 1, 1, 1)]
    public void WhisperDefaults_FillOnlyWhatIsUnset(int cores, bool cuda, int threads, int processors, int parallel,
        int expectedProcessors, int expectedThreads, int expectedParallel)
    {
        var whisper = new WhisperOptions { Threads = threads, GpuConcurrency = processors, ParallelSegments = parallel };

        WhisperDefaults.Apply(whisper, cores, cuda);

        Assert.Equal((expectedProcessors, expectedThreads, expectedParallel), (whisper.GpuConcurrency, whisper.Threads, whisper.ParallelSegments));
    }

    [Theory]
    [InlineData("Pipeline:Whisper:SegmentSeconds", "5", "SegmentSeconds")]
    [InlineData("Pipeline:Whisper:Threads", "-1", "Threads")]
    [InlineData("Pipeline:Whisper:Language", "English!", "Language")]
    [InlineData("Pipeline:Whisper:ParallelSegments", "-1", "ParallelSegments")]
    [InlineData("Pipeline:Whisper:GpuConcurrency", "65", "GpuConcurrency")]
    [InlineData("Pipeline:Whisper:SilenceThresholdDb", "3", "SilenceThresholdDb")]
    [InlineData("Pipeline:Whisper:OverlapSeconds", "200", "OverlapSeconds")]
    [InlineData("Pipeline:Ollama:Url", "not a url", "Ollama:Url")]
    [InlineData("Pipeline:Ollama:ContextTokens", "2048", "ContextTokens")]
    [InlineData("Pipeline:Ollama:Attempts", "0", "Attempts")]
    [InlineData("Pipeline:Ollama:MaxParallelRequests", "0", "MaxParallelRequests")]
    [InlineData("Pipeline:Batch:Schedule", "nightly", "Schedule")]
    [InlineData("Pipeline:Input:Extensions:0", "mp4", "Input:Extensions:0")]
    [InlineData("Pipeline:Input:SettleSeconds", "-1", "SettleSeconds")]
    [InlineData("Pipeline:Jobs:RetentionDays", "-1", "RetentionDays")]
    public void BadValue_FailsNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(Config((key, value))));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("input", "input/podcasts", "'input/podcasts' is inside 'input'")]
    [InlineData("input/podcasts", "input", "'input/podcasts' is inside 'input'")]
    [InlineData("input", "input", "are the same folder")]
    [InlineData("input", "./input/", "are the same folder")]
    public void OverlappingInputFolders_FailNamingBothKeys(string first, string second, string says)
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var error = Assert.Throws<OptionsValidationException>(() => Resolve(Config(
                ("Pipeline:Root", root), ("Pipeline:Input:Folders:0", first), ("Pipeline:Input:Folders:1", second))));

            Assert.Contains("Pipeline:Input:Folders:0", error.Message, StringComparison.Ordinal);
            Assert.Contains("Pipeline:Input:Folders:1", error.Message, StringComparison.Ordinal);
            Assert.Contains(says, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void InputFolderAndALinkToIt_FailAsTheSameFolder()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "media"));
            Directory.CreateSymbolicLink(Path.Combine(root, "alias"), "media");

            var error = Assert.Throws<OptionsValidationException>(() => Resolve(Config(
                ("Pipeline:Root", root), ("Pipeline:Input:Folders:0", "media"), ("Pipeline:Input:Folders:1", "alias"))));

            Assert.Contains("Pipeline:Input:Folders:0 ('media') and Pipeline:Input:Folders:1 ('alias') are the same folder", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void SiblingInputFolders_AreValid()
    {
        var options = Resolve(Config(("Pipeline:Input:Folders:0", "input"), ("Pipeline:Input:Folders:1", "input-2"), ("Pipeline:Input:Folders:2", "other/input")));

        Assert.Equal(3, options.Input.Folders.Count);
    }

    [Fact]
    public void DefaultExtensions_IncludeTheCommonEpisodeFormats()
    {
        var options = Resolve(Config());

        Assert.Superset(new HashSet<string> { ".opus", ".m4b", ".aac", ".oga", ".wma", ".mka", ".mp3", ".mp4" }, new HashSet<string>(options.Input.Extensions));
        Assert.Equal(10, options.Input.SettleSeconds);
    }

    [Fact]
    public void YamlFile_IsBoundAndEnvironmentOverridesIt()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var yaml = Path.Combine(folder, "pipeline.yaml");
        File.WriteAllText(yaml, """
            Pipeline:
              DataFolder: from-yaml
              Whisper:
                SegmentSeconds: 120
                Language: de
            """);
        Environment.SetEnvironmentVariable("Pipeline__Whisper__Language", "fr");
        try
        {
            var options = Resolve(new ConfigurationBuilder().AddPipelineConfiguration(yaml).Build());

            Assert.Equal("from-yaml", options.DataFolder);
            Assert.Equal(120, options.Whisper.SegmentSeconds);
            Assert.Equal("fr", options.Whisper.Language);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Pipeline__Whisper__Language", null);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RepositoryPipelineYaml_IsValid()
    {
        var yaml = Path.Combine(TestKit.RepositoryRoot.Find(), "config", "pipeline.yaml");

        var options = Resolve(new ConfigurationBuilder().AddPipelineConfiguration(yaml).Build());

        Assert.Equal("models/ggml-base.en.bin", options.Whisper.ModelPath);
    }

    [Fact]
    public void NamedConfigFileThatDoesNotExist_IsAnError()
    {
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddPipelineConfiguration("/nonexistent/pipeline.yaml"));
    }
}
