using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Webhooks;
using EpisodePipeline.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>
/// The README's n8n Code node, run by Node (installed for Azurite) with n8n's <c>$env</c>, <c>$input</c> and
/// <c>this.helpers</c> stood in for, against a real delivery: what a reader copies must verify what the pipeline sends.
/// </summary>
public partial class WebhookReadmeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // n8n's Code node body is an async function: `return` and `await` at its top level, `this.helpers` available.
    private const string N8nStandIn = """
        const fs = require('fs');
        const [, , secret, headersPath, bodyPath, codePath] = process.argv;
        const $env = { EPISODEPIPELINE_WEBHOOK_SECRET: secret };
        const headers = JSON.parse(fs.readFileSync(headersPath, 'utf8'));
        const body = fs.readFileSync(bodyPath);
        const $input = { first: () => ({ json: { headers }, binary: { data: {} } }) };
        const helpers = { getBinaryDataBuffer: async (index, property) => body };
        const code = fs.readFileSync(codePath, 'utf8');
        const node = new Function('require', '$env', '$input', `return (async function () {\n${code}\n}).call(this);`);
        node.call({ helpers }, require, $env, $input).then(
          items => process.stdout.write(JSON.stringify(items)),
          error => { process.stderr.write(error.message); process.exit(1); });
        """;

    [Fact]
    public async Task ReadmeN8nCodeNode_AcceptsARealDelivery_RejectsATamperedOne()
    {
        var secret = WebhookPolicyTests.NewSecret();
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<PipelineOptions>().Configure(o => o.Webhook.Secret = secret);
        var sender = services.AddWebhookDelivery().BuildServiceProvider().GetRequiredService<IWebhookSender>();
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var payload = new WebhookPayload
        {
            Type = WebhookPayload.FailedType,
            Timestamp = DateTimeOffset.UtcNow,
            JobId = Guid.NewGuid().ToString(),
            Status = JobStatus.Failed,
            Result = new ProcessEpisodeResult { EpisodeId = "newsroom-clip", Stage = EpisodeStage.Discovered },
            Error = "Ünïcode survives: the signature is over UTF-8 bytes.",
        };
        await sender.SendAsync(receiver.Url, WebhookPolicy.WebhookId(payload.JobId), payload, CancellationToken.None);
        var got = Assert.Single(await receiver.WaitForAsync(1, Timeout));
        var headers = got.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());

        var (ok, output) = await RunNodeAsync(secret, headers, got.Body);
        Assert.True(ok, output);
        using var items = JsonDocument.Parse(output);
        var json = items.RootElement[0].GetProperty("json");
        Assert.Equal(payload.JobId, json.GetProperty("job_id").GetString());
        Assert.Equal(headers["webhook-id"], json.GetProperty("webhook_id").GetString());

        var (tamperedOk, tampered) = await RunNodeAsync(secret, headers, got.Body.Replace("discovered", "rendered"));
        Assert.False(tamperedOk);
        Assert.Contains("signature does not match", tampered);

        var (wrongKeyOk, _) = await RunNodeAsync(WebhookPolicyTests.NewSecret(), headers, got.Body);
        Assert.False(wrongKeyOk);
    }

    private static async Task<(bool Ok, string Output)> RunNodeAsync(string secret, Dictionary<string, string> headers, string body)
    {
        var folder = Directory.CreateTempSubdirectory("webhook-n8n-").FullName;
        try
        {
            var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
            var code = N8nSnippet().Match(readme);
            Assert.True(code.Success, "README.md has no ```javascript block under 'Verifying a delivery in an n8n Code node'.");
            await File.WriteAllTextAsync(Path.Combine(folder, "standin.js"), N8nStandIn);
            await File.WriteAllTextAsync(Path.Combine(folder, "code.js"), code.Groups[1].Value);
            await File.WriteAllTextAsync(Path.Combine(folder, "headers.json"), JsonSerializer.Serialize(headers));
            await File.WriteAllTextAsync(Path.Combine(folder, "body"), body);

            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "standin.js", secret, "headers.json", "body", "code.js" })
            {
                start.ArgumentList.Add(arg);
            }

            start.WorkingDirectory = folder;
            using var node = Process.Start(start)!;
            using var cts = new CancellationTokenSource(Timeout);
            var stdout = node.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = node.StandardError.ReadToEndAsync(cts.Token);
            await node.WaitForExitAsync(cts.Token);
            return (node.ExitCode == 0, node.ExitCode == 0 ? await stdout : await stderr + await stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex(@"### Verifying a delivery in an n8n Code node.*?```javascript\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex N8nSnippet();
}
