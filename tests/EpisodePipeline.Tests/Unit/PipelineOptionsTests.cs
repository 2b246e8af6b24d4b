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
    public void BadValue_FailsNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(Config((key, value))));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
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
