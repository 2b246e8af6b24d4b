using EpisodePipeline.Options;
using EpisodePipeline.Services.Rendering;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>Scriban locked down: plain-data models, encoded output, no evaluation of strings that look like templates.</summary>
public sealed class TemplateRendererTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("episodepipeline-templates-").FullName;

    private ScribanTemplateRenderer Renderer(string template)
    {
        File.WriteAllText(Path.Combine(_folder, "t.sbn"), template);
        return new ScribanTemplateRenderer(Microsoft.Extensions.Options.Options.Create(new PipelineOptions { Render = { TemplatesFolder = _folder } }));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Render_EncodesEveryWrittenValueButNotTheTemplatesOwnMarkup() =>
        Assert.Equal("<p title=\"&quot;&gt;&lt;x&gt;\">&lt;b&gt;&amp;&#39;</p>",
            Renderer("<p title=\"{{ a }}\">{{ b }}</p>").Render("t.sbn", new Dictionary<string, object?> { ["a"] = "\"><x>", ["b"] = "<b>&'" }));

    [Fact]
    public void Render_StringsThatLookLikeTemplatesStayText()
    {
        var model = new Dictionary<string, object?> { ["a"] = "{{ 1 + 1 }}" };

        Assert.Equal("{{ 1 + 1 }}", Renderer("{{ a }}").Render("t.sbn", model));
        var evaluated = Record.Exception(() => Renderer("{{ a | object.eval_template }}").Render("t.sbn", model));
        Assert.NotNull(evaluated);
    }

    [Fact]
    public void Render_RefusesDotNetObjectsInTheModel() =>
        Assert.Throws<ArgumentException>(() => Renderer("{{ a }}").Render("t.sbn", new Dictionary<string, object?> { ["a"] = new Uri("https://example.org") }));

    [Fact]
    public void Render_UnknownVariable_FailsInsteadOfWritingNothing() =>
        Assert.ThrowsAny<Exception>(() => Renderer("{{ tpyo }}").Render("t.sbn", new Dictionary<string, object?>()));

    [Fact]
    public void Check_BrokenOverride_FailsNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_folder, "feed.xml.sbn"), "{{ for x in }}");
        var renderer = new ScribanTemplateRenderer(Microsoft.Extensions.Options.Options.Create(new PipelineOptions { Render = { TemplatesFolder = _folder } }));

        var error = Assert.Throws<InvalidOperationException>(renderer.Check);

        Assert.Contains(Path.Combine(_folder, "feed.xml.sbn"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EmbeddedTemplates_AllParse() =>
        new ScribanTemplateRenderer(Microsoft.Extensions.Options.Options.Create(new PipelineOptions())).Check();

    [Fact]
    public void Defaults_AreEmbeddedForEveryTemplateAndAsset() =>
        Assert.Equal(["episode.html.sbn", "feed.xml.sbn", "index.html.sbn", "player.js", "site.css"], ScribanTemplateRenderer.DefaultNames);
}
