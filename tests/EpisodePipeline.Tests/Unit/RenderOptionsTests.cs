using EpisodePipeline.Http;
using EpisodePipeline.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary><c>Pipeline:Render</c>: defaults, and bad values stopping start-up with the key named.</summary>
public class RenderOptionsTests
{
    private static RenderOptions Resolve(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddEpisodePipeline()
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PipelineOptions>>().Value.Render;
    }

    [Fact]
    public void Defaults_AreValidAndPointAtTheStandaloneHost()
    {
        var render = Resolve();

        Assert.Equal(new Uri("http://localhost:8000/site/"), render.BaseUri());
        Assert.Equal("", render.TemplatesFolder);
    }

    [Fact]
    public void BaseUrl_WithoutTrailingSlash_StillResolvesBelowIt() =>
        Assert.Equal(new Uri("https://example.org/pods/episodes/a/"), new Uri(Resolve(("Pipeline:Render:BaseUrl", "https://example.org/pods")).BaseUri(), "episodes/a/"));

    [Theory]
    [InlineData("Pipeline:Render:BaseUrl", "not a url", "Pipeline:Render:BaseUrl")]
    [InlineData("Pipeline:Render:BaseUrl", "ftp://example.org/site/", "Pipeline:Render:BaseUrl")]
    [InlineData("Pipeline:Render:TemplatesFolder", "no/such/folder", "Pipeline:Render:TemplatesFolder")]
    [InlineData("Pipeline:Render:SiteTitle", "", "SiteTitle")]
    public void BadValue_FailsNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve((key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
