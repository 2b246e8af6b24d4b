using System.Text.RegularExpressions;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The README's n8n Code node against real deliveries: what a reader copies must verify what the pipeline sends.</summary>
public partial class WebhookReadmeTests
{
    [Fact]
    public async Task ReadmeN8nCodeNode_AcceptsARealDelivery_RejectsATamperedOne()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var code = N8nSnippet().Match(readme);
        Assert.True(code.Success, "README.md has no ```javascript block under 'Verifying a delivery in an n8n Code node'.");

        await N8nCodeNode.AssertVerifiesDeliveriesAsync(code.Groups[1].Value);
    }

    [GeneratedRegex(@"### Verifying a delivery in an n8n Code node.*?```javascript\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex N8nSnippet();
}
