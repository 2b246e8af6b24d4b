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
            .AddEpisodePipeline(new HostFacts("test", "none", 1));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Defaults_AreValid()
    {
        var options = Resolve(Config());

        Assert.Equal(300, options.Whisper.SegmentSeconds);
        Assert.Equal(["media"], options.Input.Folders);
    }

    [Theory]
    [InlineData("Pipeline:Whisper:SegmentSeconds", "5", "SegmentSeconds")]
    [InlineData("Pipeline:Whisper:Threads", "0", "Threads")]
    [InlineData("Pipeline:Whisper:Language", "English!", "Language")]
    [InlineData("Pipeline:Whisper:ParallelSegments", "0", "ParallelSegments")]
    [InlineData("Pipeline:Whisper:OverlapSeconds", "200", "OverlapSeconds")]
    [InlineData("Pipeline:Ollama:Url", "not a url", "Ollama:Url")]
    [InlineData("Pipeline:Batch:Schedule", "nightly", "Schedule")]
    [InlineData("Pipeline:Input:Extensions:0", "mp4", "Input:Extensions:0")]
    [InlineData("Pipeline:Input:SettleSeconds", "-1", "SettleSeconds")]
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
