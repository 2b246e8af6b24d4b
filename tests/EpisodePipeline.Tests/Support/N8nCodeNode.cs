using System.Diagnostics;
using System.Text.Json;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Webhooks;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Unit;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using Xunit;

namespace EpisodePipeline.Tests.Support;

/// <summary>
/// Runs the JavaScript of an n8n Code node that verifies EpisodePipeline webhooks (README's snippet, the shipped
/// workflow's node) with Node (installed for Azurite), with n8n's <c>$env</c>, <c>$input</c> and <c>this.helpers</c>
/// stood in for, against real deliveries: what n8n runs must accept what the pipeline sends and nothing else.
/// </summary>
internal static class N8nCodeNode
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // n8n's Code node body is an async function: `return` and `await` at its top level, `this.helpers` available.
    // The Webhook node with "Raw Body" on puts the request's headers in json.headers and its bytes in binary.data.
    private const string StandIn = """
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

    /// <summary>
    /// Sends a real delivery with the pipeline's sender (signed by the StandardWebhooks library) and checks that
    /// <paramref name="code"/> passes it on parsed with its <c>webhook_id</c>, and throws for a tampered body, another
    /// secret, a delivery signed more than 5 minutes ago and one without signature headers.
    /// </summary>
    public static async Task AssertVerifiesDeliveriesAsync(string code)
    {
        var secret = WebhookPolicyTests.NewSecret();
        var (headers, body, jobId) = await DeliverAsync(secret);

        var (ok, output) = await RunAsync(code, secret, headers, body);
        Assert.True(ok, output);
        using var items = JsonDocument.Parse(output);
        var json = items.RootElement[0].GetProperty("json");
        Assert.Equal(jobId, json.GetProperty("job_id").GetString());
        Assert.Equal(headers["webhook-id"], json.GetProperty("webhook_id").GetString());

        var (tamperedOk, tampered) = await RunAsync(code, secret, headers, body.Replace("discovered", "rendered", StringComparison.Ordinal));
        Assert.False(tamperedOk);
        Assert.Contains("signature does not match", tampered);

        var (wrongKeyOk, _) = await RunAsync(code, WebhookPolicyTests.NewSecret(), headers, body);
        Assert.False(wrongKeyOk);

        var signedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var stale = new Dictionary<string, string>(headers)
        {
            ["webhook-timestamp"] = signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = new StandardWebhook(secret).Sign(headers["webhook-id"], signedAt, body),
        };
        var (staleOk, staleOutput) = await RunAsync(code, secret, stale, body);
        Assert.False(staleOk);
        Assert.Contains("5 minutes", staleOutput);

        var (unsignedOk, unsigned) = await RunAsync(code, secret, new Dictionary<string, string> { ["content-type"] = "application/json" }, body);
        Assert.False(unsignedOk);
        Assert.Contains("Not a signed", unsigned);
    }

    /// <summary>One real delivery of a failed job's payload, as the receiver saw it (header names in lower case).</summary>
    private static async Task<(Dictionary<string, string> Headers, string Body, string JobId)> DeliverAsync(string secret)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<PipelineOptions>().Configure(o => o.Webhook.Secret = secret);
        await using var provider = services.AddWebhookDelivery().BuildServiceProvider();
        var sender = provider.GetRequiredService<IWebhookSender>();
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
        return (got.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), got.Body, payload.JobId);
    }

    /// <summary>Runs <paramref name="code"/> as n8n's Code node would; false and the error message when it throws.</summary>
    public static async Task<(bool Ok, string Output)> RunAsync(string code, string secret, IReadOnlyDictionary<string, string> headers, string body)
    {
        var folder = Directory.CreateTempSubdirectory("webhook-n8n-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "standin.js"), StandIn);
            await File.WriteAllTextAsync(Path.Combine(folder, "code.js"), code);
            await File.WriteAllTextAsync(Path.Combine(folder, "headers.json"), JsonSerializer.Serialize(headers));
            await File.WriteAllTextAsync(Path.Combine(folder, "body"), body);

            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            foreach (var arg in new[] { "standin.js", secret, "headers.json", "body", "code.js" })
            {
                start.ArgumentList.Add(arg);
            }

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
}
