using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.Models;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>
/// The n8n workflows in <c>n8n_workflows/</c>, checked without n8n (CI does not install it): node types and
/// typeVersions against the catalogue saved from an n8n install (<c>N8n/n8n-node-types.json</c>), connections,
/// no secrets, the API routes they call against <see cref="ApiRoutes.All"/>, and the webhook workflow's Code node
/// run by Node against real signed deliveries. README's "n8n" section says how they were run in n8n itself.
/// </summary>
public partial class N8nWorkflowTests
{
    private const string AsyncWorkflow = "async_processing_workflow.json";
    private const string PollingWorkflow = "polling_workflow.json";
    private const string KeyCredential = "EpisodePipeline API key";

    public static TheoryData<string> Files => [AsyncWorkflow, PollingWorkflow];

    [Theory]
    [MemberData(nameof(Files))]
    public void Workflow_IsAnN8nWorkflow_WithUniquelyNamedPlacedNodes(string file)
    {
        var workflow = Load(file);

        Assert.False(string.IsNullOrWhiteSpace((string?)workflow["name"]));
        Assert.Matches("^[A-Za-z0-9]{16}$", (string?)workflow["id"]);
        Assert.Equal("v1", (string?)workflow["settings"]?["executionOrder"]);
        Assert.IsType<JsonObject>(workflow["connections"]);
        var nodes = Nodes(workflow);
        Assert.NotEmpty(nodes);
        foreach (var node in nodes)
        {
            Assert.True(Guid.TryParse((string?)node["id"], out _), $"{file}: node '{node["name"]}' has no GUID id.");
            Assert.IsType<JsonObject>(node["parameters"]);
            Assert.Equal(2, node["position"]!.AsArray().Count);
        }

        Assert.Equal(nodes.Count, nodes.Select(n => (string)n["name"]!).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(nodes.Count, nodes.Select(n => (string)n["id"]!).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Nodes_UseTypesAndVersionsThatN8nShips(string file)
    {
        var shipped = Catalogue()["nodes"]!.AsObject();

        var unknown = Nodes(Load(file))
            .Where(n => shipped[(string)n["type"]!] is not JsonArray versions
                        || !versions.Select(v => (double)v!).Contains((double)n["typeVersion"]!))
            .Select(n => $"{n["name"]}: {n["type"]} v{n["typeVersion"]}")
            .ToList();

        Assert.True(unknown.Count == 0, $"{file} uses node types or versions n8n {Catalogue()["n8n"]} does not ship: {string.Join("; ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Connections_JoinExistingNodes_AndReachEveryNodeButTheTriggers(string file)
    {
        var workflow = Load(file);
        var names = Nodes(workflow).Select(n => (string)n["name"]!).ToHashSet(StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (source, outputs) in workflow["connections"]!.AsObject())
        {
            Assert.Contains(source, names);
            foreach (var target in outputs!["main"]!.AsArray().SelectMany(o => o!.AsArray()))
            {
                Assert.Contains((string)target!["node"]!, names);
                Assert.Equal("main", (string?)target["type"]);
                Assert.Equal(0, (int)target["index"]!);
                reached.Add((string)target["node"]!);
            }
        }

        var triggers = Nodes(workflow).Where(IsTrigger).Select(n => (string)n["name"]!);
        Assert.Equal(names.Except(triggers).Order(), reached.Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Files_HoldNoSecrets_CredentialsAreReferencedByNameOnly(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "n8n_workflows", file));

        Assert.DoesNotMatch(@"whsec_[A-Za-z0-9+/]{8,}", text);
        Assert.DoesNotMatch(@"xox[abposr]-", text);
        Assert.DoesNotMatch(@"(?i)bearer\s+[A-Za-z0-9]", text);
        var tokens = TokenLike().Matches(text).Select(m => m.Value).Where(t => !Guid.TryParse(t, out _)).ToList();
        Assert.True(tokens.Count == 0, $"{file} holds key-like strings: {string.Join(", ", tokens)}");

        foreach (var node in Nodes(Load(file)))
        {
            foreach (var (type, credential) in node["credentials"]?.AsObject() ?? new JsonObject())
            {
                Assert.Equal(new[] { "id", "name" }, credential!.AsObject().Select(p => p.Key).Order());
                Assert.Null(credential["id"]);
                Assert.False(string.IsNullOrWhiteSpace((string?)credential["name"]), $"{node["name"]}: {type} has no name");
            }
        }
    }

    [Theory]
    [InlineData(AsyncWorkflow, "post episodes/discover", "post async/episodes/{id}/process")]
    [InlineData(PollingWorkflow, "post episodes/discover", "post async/episodes/{id}/process", "get async/jobs/{id}")]
    public void HttpNodes_CallRoutesTheApiServes_AtTheConfiguredUrl_WithTheKeyCredential(string file, params string[] expected)
    {
        var workflow = Load(file);
        var served = ApiRoutes.All.Select(r => $"{r.Method} {r.Template}").ToHashSet(StringComparer.Ordinal);
        var called = new List<string>();

        foreach (var node in Nodes(workflow).Where(n => (string?)n["type"] == "n8n-nodes-base.httpRequest"))
        {
            var parameters = node["parameters"]!;
            var route = Route(node);
            Assert.Contains(route, served);
            called.Add(route);

            Assert.Equal("genericCredentialType", (string?)parameters["authentication"]);
            Assert.Equal("httpHeaderAuth", (string?)parameters["genericAuthType"]);
            Assert.Equal(KeyCredential, (string?)node["credentials"]?["httpHeaderAuth"]?["name"]);
            Assert.Null(parameters["sendHeaders"]);
            Assert.Null(parameters["sendQuery"]);
        }

        Assert.Equal(expected.Order(), called.Distinct().Order());
        var apiUrl = Setting(workflow, "api_url");
        Assert.Contains("$vars.EPISODEPIPELINE_URL", apiUrl);
        Assert.Contains("$env.EPISODEPIPELINE_URL", apiUrl);
    }

    [Fact]
    public void AsyncWorkflow_SubmitsReadyEpisodesBelowTheTargetStage_WithItsOwnWebhookUrl()
    {
        var workflow = Load(AsyncWorkflow);

        var schedule = Assert.Single(Nodes(workflow), n => (string?)n["type"] == "n8n-nodes-base.scheduleTrigger");
        Assert.Equal(2, (int)schedule["parameters"]!["rule"]!["interval"]![0]!["triggerAtHour"]!);

        var webhook = Assert.Single(Nodes(workflow), n => (string?)n["type"] == "n8n-nodes-base.webhook");
        Assert.Equal("POST", (string?)webhook["parameters"]!["httpMethod"]);
        Assert.True((bool)webhook["parameters"]!["options"]!["rawBody"]!, "The signature is over the raw body: the Webhook node must keep it.");
        Assert.Contains($"'webhook/{webhook["parameters"]!["path"]}'", Setting(workflow, "webhook_url"));

        var submit = Node(workflow, "Submit with webhook");
        Assert.Contains("webhook_url: $('Settings').first().json.webhook_url", (string?)submit["parameters"]!["jsonBody"]);

        // The filter orders stages by a list written in the workflow; it must be the contract's, in order.
        var conditions = Node(workflow, "Ready and not at the target stage")["parameters"]!["conditions"]!["conditions"]!.AsArray();
        var stages = conditions.Select(c => StageList().Match((string)c!["leftValue"]!)).Single(m => m.Success);
        Assert.Equal(WireName.All<EpisodeStage>(), Regex.Matches(stages.Value, @"'([a-z]+)'").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void AsyncWorkflow_AnswersVerifiedDeliveries2xx_OthersUnauthorized_ThenPostsToSlack()
    {
        var workflow = Load(AsyncWorkflow);
        var webhook = Assert.Single(Nodes(workflow), n => (string?)n["type"] == "n8n-nodes-base.webhook");
        Assert.Equal("responseNode", (string?)webhook["parameters"]!["responseMode"]);

        var verify = Assert.Single(Targets(workflow, (string)webhook["name"]!, output: 0));
        Assert.Equal("n8n-nodes-base.code", (string?)verify["type"]);
        Assert.Equal("continueErrorOutput", (string?)verify["onError"]);
        var accept = Assert.Single(Targets(workflow, (string)verify["name"]!, output: 0));
        var reject = Assert.Single(Targets(workflow, (string)verify["name"]!, output: 1));
        Assert.Equal("n8n-nodes-base.respondToWebhook", (string?)accept["type"]);
        Assert.InRange((int)accept["parameters"]!["options"]!["responseCode"]!, 200, 299);
        Assert.Equal("n8n-nodes-base.respondToWebhook", (string?)reject["type"]);
        Assert.Equal(401, (int)reject["parameters"]!["options"]!["responseCode"]!);

        var slack = Nodes(workflow).Where(n => (string?)n["type"] == "n8n-nodes-base.slack").ToList();
        Assert.NotEmpty(slack);
        Assert.All(slack, n => Assert.False(string.IsNullOrEmpty((string?)n["credentials"]?["slackApi"]?["name"])));
        Assert.Contains(slack, n => Reaches(workflow, (string)accept["name"]!, (string)n["name"]!));
    }

    [Fact]
    public async Task AsyncWorkflow_CodeNode_PassesARealDelivery_RejectsTamperedStaleAndUnsignedOnes()
    {
        var verify = Assert.Single(Nodes(Load(AsyncWorkflow)), n => (string?)n["type"] == "n8n-nodes-base.code");

        await N8nCodeNode.AssertVerifiesDeliveriesAsync((string)verify["parameters"]!["jsCode"]!);
    }

    [Fact]
    public async Task AsyncWorkflow_CodeNode_WithoutASecret_SaysWhichVariableIsMissing()
    {
        var verify = Assert.Single(Nodes(Load(AsyncWorkflow)), n => (string?)n["type"] == "n8n-nodes-base.code");

        var (ok, output) = await N8nCodeNode.RunAsync((string)verify["parameters"]!["jsCode"]!, "", new Dictionary<string, string>(), "{}");

        Assert.False(ok);
        Assert.Contains("EPISODEPIPELINE_WEBHOOK_SECRET is not set", output);
    }

    [Fact]
    public void PollingWorkflow_SubmitsOrTakesAJobId_ThenPollsEvery30s_UntilTheJobEnds()
    {
        var workflow = Load(PollingWorkflow);
        var wait = Assert.Single(Nodes(workflow), n => (string?)n["type"] == "n8n-nodes-base.wait");
        Assert.Equal(30, (int)wait["parameters"]!["amount"]!);
        Assert.Equal("seconds", (string?)wait["parameters"]!["unit"]);

        // "Job id given?": yes → straight to the wait; no → discover, submit, then the wait.
        Assert.Same(wait, Assert.Single(Targets(workflow, "Job id given?", output: 0)));
        var submitting = Assert.Single(Targets(workflow, "Job id given?", output: 1));
        Assert.Equal($"post {ApiRoutes.Discover}", Route(submitting));
        var submit = Assert.Single(Targets(workflow, (string)submitting["name"]!, output: 0));
        Assert.Equal($"post {ApiRoutes.Process}", Route(submit));
        Assert.Same(wait, Assert.Single(Targets(workflow, (string)submit["name"]!, output: 0)));

        // The loop: wait → status → ended? no → wait.
        var status = Assert.Single(Targets(workflow, (string)wait["name"]!, output: 0));
        Assert.Equal($"get {ApiRoutes.Job}", Route(status));
        var ended = Assert.Single(Targets(workflow, (string)status["name"]!, output: 0));
        Assert.Equal("n8n-nodes-base.if", (string?)ended["type"]);
        Assert.Same(wait, Assert.Single(Targets(workflow, (string)ended["name"]!, output: 1)));

        var conditions = ended["parameters"]!["conditions"]!;
        Assert.Equal("or", (string?)conditions["combinator"]);
        Assert.All(conditions["conditions"]!.AsArray(), c => Assert.Equal("={{ $json.status }}", (string?)c!["leftValue"]));
        var finished = WireName.All<JobStatus>().Except([WireName.Of(JobStatus.Queued), WireName.Of(JobStatus.Running)]);
        Assert.Equal(finished.Order(), conditions["conditions"]!.AsArray().Select(c => (string)c!["rightValue"]!).Order());
    }

    /// <summary>An HTTP Request node's call as <c>method template</c> (<c>get async/jobs/{id}</c>), its expressions as <c>{id}</c>.</summary>
    private static string Route(JsonNode node)
    {
        var url = BaseUrlThenPath().Match((string)node["parameters"]!["url"]!);
        Assert.True(url.Success, $"{node["name"]}: the URL must be the Settings node's api_url and a path: {node["parameters"]!["url"]}");
        return $"{((string?)node["parameters"]!["method"] ?? "GET").ToLowerInvariant()} {Expression().Replace(url.Groups["path"].Value, "{id}")}";
    }

    private static bool IsTrigger(JsonNode node) =>
        ((string)node["type"]!).EndsWith("Trigger", StringComparison.Ordinal) || (string?)node["type"] == "n8n-nodes-base.webhook";

    private static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "n8n_workflows", file)))!.AsObject();

    private static JsonObject Catalogue() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "tests", "EpisodePipeline.Tests", "N8n", "n8n-node-types.json")))!.AsObject();

    private static List<JsonNode> Nodes(JsonObject workflow) => [.. workflow["nodes"]!.AsArray().Select(n => n!)];

    private static JsonNode Node(JsonObject workflow, string name) => Assert.Single(Nodes(workflow), n => (string?)n["name"] == name);

    private static string Setting(JsonObject workflow, string name) =>
        (string)Node(workflow, "Settings")["parameters"]!["assignments"]!["assignments"]!.AsArray().Single(a => (string?)a!["name"] == name)!["value"]!;

    private static IEnumerable<JsonNode> Targets(JsonObject workflow, string source, int output) =>
        workflow["connections"]![source]?["main"]?.AsArray().ElementAtOrDefault(output)?.AsArray().Select(t => Node(workflow, (string)t!["node"]!)) ?? [];

    private static bool Reaches(JsonObject workflow, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Queue<string>([from]);
        while (next.TryDequeue(out var name))
        {
            if (name == to)
            {
                return true;
            }

            foreach (var target in (workflow["connections"]![name]?["main"]?.AsArray() ?? []).SelectMany(o => o!.AsArray()))
            {
                if (seen.Add((string)target!["node"]!))
                {
                    next.Enqueue((string)target["node"]!);
                }
            }
        }

        return false;
    }

    // 32+ characters of key alphabet with both a letter and a digit: API keys, tokens, base64 secrets.
    [GeneratedRegex(@"(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{32,}")]
    private static partial Regex TokenLike();

    [GeneratedRegex(@"^=\{\{ (\$json|\$\('Settings'\)\.first\(\)\.json)\.api_url \}\}/(?<path>[^?#]*)$")]
    private static partial Regex BaseUrlThenPath();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"\[\s*'[a-z]+'(\s*,\s*'[a-z]+')*\s*\]")]
    private static partial Regex StageList();
}
