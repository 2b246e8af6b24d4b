using System.Net;
using System.Text;
using System.Text.Json;
using EpisodePipeline.Functions.Functions;
using EpisodePipeline.Http;
using EpisodePipeline.Jobs;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EpisodePipeline.Tests.Hosts;

/// <summary>
/// The Azure Functions app without Core Tools: its generated <c>functions.metadata</c> must declare the
/// contract, and its starter functions must work against a real <see cref="DurableTaskClient"/>.
/// </summary>
public class FunctionsAppTests
{
    private static readonly JsonElement[] Metadata = JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(MetadataPath()))!;

    private static string MetadataPath()
    {
        // The test project references the Functions app, so its build output sits next to ours;
        // the worker SDK writes functions.metadata into the app's own output folder.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(RepositoryRoot.Find(), "src", "EpisodePipeline.Functions", "bin", configuration, "net10.0", "functions.metadata");
    }

    private static JsonElement Function(string name) => Metadata.Single(f => f.GetProperty("name").GetString() == name);

    private static JsonElement Trigger(string name) =>
        Function(name).GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Theory]
    [InlineData(nameof(ApiFunctions.Health), ApiRoutes.Get, ApiRoutes.Health)]
    [InlineData(nameof(ApiFunctions.DiscoverEpisodes), ApiRoutes.Post, ApiRoutes.Discover)]
    [InlineData(nameof(ApiFunctions.ListEpisodes), ApiRoutes.Get, ApiRoutes.Episodes)]
    [InlineData(nameof(ApiFunctions.GetEpisode), ApiRoutes.Get, ApiRoutes.Episode)]
    [InlineData(nameof(ApiFunctions.SubmitProcessEpisode), ApiRoutes.Post, ApiRoutes.Process)]
    [InlineData(nameof(ApiFunctions.GetJob), ApiRoutes.Get, ApiRoutes.Job)]
    [InlineData(nameof(ApiFunctions.CancelJob), ApiRoutes.Delete, ApiRoutes.Job)]
    [InlineData(nameof(ApiFunctions.RetryJob), ApiRoutes.Post, ApiRoutes.JobRetry)]
    [InlineData(nameof(ApiFunctions.ListJobs), ApiRoutes.Get, ApiRoutes.Jobs)]
    [InlineData(nameof(ApiFunctions.PurgeJobs), ApiRoutes.Delete, ApiRoutes.Jobs)]
    [InlineData(nameof(ApiFunctions.JobStats), ApiRoutes.Get, ApiRoutes.Stats)]
    [InlineData(nameof(DashboardFunctions.Dashboard), ApiRoutes.Get, ApiRoutes.Dashboard)]
    [InlineData(nameof(DocsFunctions.OpenApiDocument), ApiRoutes.Get, ApiRoutes.OpenApiDocument)]
    [InlineData(nameof(DocsFunctions.ApiReference), ApiRoutes.Get, ApiRoutes.DocsFiles)]
    [InlineData(nameof(ApiFunctions.StartBatch), ApiRoutes.Post, ApiRoutes.Batches)]
    public void HttpFunction_DeclaresRouteMethodAndAuthLevelOfTheRouteTable(string name, string method, string route)
    {
        var expected = ApiRoutes.All.Single(r => r.Method == method && r.Template == route);
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(expected.RequiresKey ? "Function" : "Anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void HttpRoutes_AreExactlyTheRouteTable()
    {
        var routes = Metadata
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()} /{b.GetProperty("route").GetString()}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(ApiRoutes.All.Select(r => $"{r.Method} /{r.Template}").Order(StringComparer.Ordinal), routes);
        Assert.Equal(
            [
                "delete /async/jobs",
                "delete /async/jobs/{id}",
                "get /async/jobs",
                "get /async/jobs/{id}",
                "get /async/stats",
                "get /dashboard/{file?}",
                "get /docs/{*path}",
                "get /episodes",
                "get /episodes/{id}",
                "get /health",
                "get /openapi/v1.json",
                "get /site/{*path}",
                "head /site/{*path}",
                "post /async/batches",
                "post /async/episodes/{id}/process",
                "post /async/jobs/{id}/retry",
                "post /episodes/discover",
            ],
            routes);
    }

    [Fact]
    public void SiteFunction_ServesGetAndHeadWithoutAKey()
    {
        var trigger = Trigger(nameof(SiteFunctions.Site));

        Assert.Equal(["get", "head"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Theory]
    [InlineData(nameof(ApiFunctions.SubmitProcessEpisode))]
    [InlineData(nameof(ApiFunctions.GetJob))]
    [InlineData(nameof(ApiFunctions.CancelJob))]
    [InlineData(nameof(ApiFunctions.RetryJob))]
    [InlineData(nameof(ApiFunctions.ListJobs))]
    [InlineData(nameof(ApiFunctions.PurgeJobs))]
    [InlineData(nameof(ApiFunctions.JobStats))]
    [InlineData(nameof(RetentionFunctions.PurgeExpiredJobs))]
    [InlineData(nameof(ApiFunctions.StartBatch))]
    [InlineData(nameof(BatchTimerFunctions.NightlyBatchTimer))]
    [InlineData("ClaimEpisodeActivity")]
    public void JobFunctions_BindADurableClient(string name)
    {
        Assert.Contains(Function(name).GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient");
    }

    [Theory]
    [InlineData("ProcessEpisodeOrchestrator", "orchestrationTrigger")]
    [InlineData("PrepareTranscriptionActivity", "activityTrigger")]
    [InlineData("ExtractAudioActivity", "activityTrigger")]
    [InlineData("PlanSegmentsActivity", "activityTrigger")]
    [InlineData("TranscribeSegmentActivity", "activityTrigger")]
    [InlineData("MergeTranscriptActivity", "activityTrigger")]
    [InlineData("PrepareEnrichmentActivity", "activityTrigger")]
    [InlineData("EnrichPartActivity", "activityTrigger")]
    [InlineData("ReduceEnrichmentActivity", "activityTrigger")]
    [InlineData("RenderEpisodeActivity", "activityTrigger")]
    [InlineData("PrepareWebhookActivity", "activityTrigger")]
    [InlineData("NotifyWebhookActivity", "activityTrigger")]
    [InlineData("NightlyBatchOrchestrator", "orchestrationTrigger")]
    [InlineData("PlanBatchActivity", "activityTrigger")]
    [InlineData("ClaimEpisodeActivity", "activityTrigger")]
    public void WorkflowFunction_HasItsDurableTrigger(string name, string trigger)
    {
        Assert.Equal(trigger, Trigger(name).GetProperty("type").GetString());
    }

    [Fact]
    public void RetentionFunction_RunsOnAnHourlyTimer()
    {
        var trigger = Trigger(nameof(RetentionFunctions.PurgeExpiredJobs));

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(JobRetention.Schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void NightlyBatchTimer_TakesItsScheduleFromTheAppSetting()
    {
        var trigger = Trigger(nameof(BatchTimerFunctions.NightlyBatchTimer));

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%Pipeline:Batch:Schedule%", trigger.GetProperty("schedule").GetString());
        Assert.True(trigger.GetProperty("useMonitor").GetBoolean());
    }

    [Fact]
    public void LocalSettingsSample_SetsTheTimersScheduleToTwoAtNight()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "local.settings.sample.json"))).RootElement;

        // The Functions host resolves %Pipeline:Batch:Schedule% from this app setting ("__" is ":" in configuration).
        Assert.Equal("0 0 2 * * *", sample.GetProperty("Values").GetProperty("Pipeline__Batch__Schedule").GetString());
    }

    [Fact]
    public void HostJson_ServesRoutesWithoutPrefixAndNamesTheTaskHub()
    {
        var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "host.json"))).RootElement;

        Assert.Equal("", hostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("EpisodePipeline", hostJson.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
    }

    [Fact]
    public void HostJson_BoundsConcurrentAndOutstandingRequests_TheFunctionsAppsRateLimit()
    {
        var http = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "host.json"))).RootElement.GetProperty("extensions").GetProperty("http");
        var concurrent = http.GetProperty("maxConcurrentRequests").GetInt32();
        var outstanding = http.GetProperty("maxOutstandingRequests").GetInt32();

        // Past maxOutstandingRequests the Functions host answers 429; the concurrent ones are a part of the outstanding.
        Assert.InRange(concurrent, 1, outstanding);
    }

    [Fact]
    public async Task StarterFunctions_WithARealDurableClient_ScheduleAndReportTheJob()
    {
        using var folders = new TestFolders();
        folders.AddMedia(await TestMedia.SpeechAudioAsync(12), "show.mp3");
        await using var durable = await StartFunctionsServicesAsync(folders.Settings(TestModel.Path));
        var functions = ActivatorUtilities.CreateInstance<ApiFunctions>(durable.Services);

        var discovered = await Call(Request("POST", "/episodes/discover"), functions.DiscoverEpisodes);
        Assert.Equal(HttpStatusCode.OK, discovered.Status);

        var submitted = await Call(
            Request("POST", "/async/episodes/show/process", """{"target_stage":"transcribed"}"""),
            r => functions.SubmitProcessEpisode(r, "show", durable.Client));
        Assert.Equal(HttpStatusCode.Accepted, submitted.Status);
        var jobId = submitted.Body.GetProperty("job_id").GetString()!;
        // Relative: never built from the client's Host header (here functions.test).
        Assert.Equal($"/async/jobs/{jobId}", submitted.Location);
        Assert.Equal(submitted.Location, submitted.Body.GetProperty("status_url").GetString());

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await durable.Client.WaitForInstanceCompletionAsync(jobId, cts.Token);
        var job = await Call(Request("GET", $"/async/jobs/{jobId}"), r => functions.GetJob(r, jobId, durable.Client));
        Assert.Equal("completed", job.Body.GetProperty("status").GetString());
        Assert.NotEmpty(job.Body.GetProperty("result").GetProperty("transcript").GetProperty("segments").EnumerateArray());
        var upper = await Call(Request("GET", $"/async/jobs/{jobId.ToUpperInvariant()}"), r => functions.GetJob(r, jobId.ToUpperInvariant(), durable.Client));
        Assert.Equal((HttpStatusCode.OK, jobId), (upper.Status, upper.Body.GetProperty("job_id").GetString()));

        var stats = await Call(Request("GET", "/async/stats"), r => functions.JobStats(r, durable.Client));
        Assert.Equal((1, 4), (stats.Body.GetProperty("completed").GetInt32(), stats.Body.GetProperty("max_workers").GetInt32()));

        var unknown = await Call(Request("POST", "/async/episodes/nope/process", "{}"), r => functions.SubmitProcessEpisode(r, "nope", durable.Client));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("application/problem+json", unknown.ContentType);

        // Job control: a completed job cannot be cancelled or retried, and a purge up to now removes it.
        var cancel = await Call(Request("DELETE", $"/async/jobs/{jobId}"), r => functions.CancelJob(r, jobId, durable.Client));
        var retry = await Call(Request("POST", $"/async/jobs/{jobId}/retry"), r => functions.RetryJob(r, jobId, durable.Client));
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (cancel.Status, retry.Status));
        var before = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var purged = await Call(Request("DELETE", "/async/jobs", query: $"?before={Uri.EscapeDataString(before)}"), r => functions.PurgeJobs(r, durable.Client));
        Assert.Equal((HttpStatusCode.OK, 1), (purged.Status, purged.Body.GetProperty("purged").GetInt32()));
        var gone = await Call(Request("GET", $"/async/jobs/{jobId}"), r => functions.GetJob(r, jobId, durable.Client));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task BatchFunctions_WithARealDurableClient_StartByHandAndOncePerScheduledTime()
    {
        using var folders = new TestFolders();
        var settings = folders.Settings(TestModel.Path);
        settings["Pipeline:Batch:Enabled"] = "true";
        await using var durable = await StartFunctionsServicesAsync(settings);
        var api = ActivatorUtilities.CreateInstance<ApiFunctions>(durable.Services);
        var timer = ActivatorUtilities.CreateInstance<BatchTimerFunctions>(durable.Services);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var started = await Call(Request("POST", "/async/batches", """{"target_stage":"transcribed"}"""), r => api.StartBatch(r, durable.Client));
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var jobId = started.Body.GetProperty("job_id").GetString()!;
        Assert.Equal(($"/async/jobs/{jobId}", "batch"), (started.Location, started.Body.GetProperty("job_type").GetString()));
        await durable.Client.WaitForInstanceCompletionAsync(jobId, cts.Token);
        var job = await Call(Request("GET", $"/async/jobs/{jobId}"), r => api.GetJob(r, jobId, durable.Client));
        Assert.Equal(("batch", "completed", "transcribed"), (job.Body.GetProperty("job_type").GetString(), job.Body.GetProperty("status").GetString(), job.Body.GetProperty("target_stage").GetString()));

        // The timer, fired twice for one occurrence (the host passes the occurrence due as ScheduleStatus.Next), starts one batch.
        var due = new DateTime(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);
        var tick = new Microsoft.Azure.Functions.Worker.TimerInfo { ScheduleStatus = new Microsoft.Azure.Functions.Worker.ScheduleStatus { Next = due } };
        await timer.NightlyBatchTimer(tick, durable.Client, cts.Token);
        await timer.NightlyBatchTimer(tick, durable.Client, cts.Token);
        var scheduled = await durable.Client.GetInstanceAsync(BatchJobs.ScheduledJobId(new DateTimeOffset(due)), getInputsAndOutputs: true, cts.Token);
        Assert.Equal(due, scheduled!.ReadInputAs<NightlyBatchInput>()!.ScheduledFor!.Value.UtcDateTime);

        // A past-due tick (the host was down at that time) starts nothing, as the standalone host does not.
        var missed = due.AddDays(-1);
        await timer.NightlyBatchTimer(
            new Microsoft.Azure.Functions.Worker.TimerInfo { IsPastDue = true, ScheduleStatus = new Microsoft.Azure.Functions.Worker.ScheduleStatus { Next = missed } },
            durable.Client,
            cts.Token);
        Assert.Null(await durable.Client.GetInstanceAsync(BatchJobs.ScheduledJobId(new DateTimeOffset(missed)), cts.Token));
        var batches = 0;
        await foreach (var instance in durable.Client.GetAllInstancesAsync(new OrchestrationQuery()).WithCancellation(cts.Token))
        {
            batches += instance.Name == BatchJobs.OrchestrationName ? 1 : 0;
        }

        Assert.Equal(2, batches);
    }

    /// <summary>The services the Functions app registers, on Durable Task's in-process test host.</summary>
    private static Task<DurableTaskTestHost> StartFunctionsServicesAsync(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return DurableTestHosts.StartAsync(
            tasks => tasks.AddEpisodePipelineTasks(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services => services
                    .AddSingleton<IConfiguration>(configuration)
                    .AddEpisodePipeline()
                    .AddEpisodePipelineApi(new HostFacts("functions", "in-memory", 4)),
            });
    }

    private static HttpRequest Request(string method, string path, string? body = null, string query = "")
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().AddRouting().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("functions.test");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Calls a function and runs its result the way the Functions host's ASP.NET Core integration does.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body, string? Location, string? ContentType)> Call(
        HttpRequest request, Func<HttpRequest, Task<IActionResult>> function)
    {
        var result = await function(request);
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        context.Response.Body.Position = 0;
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body);
        return ((HttpStatusCode)context.Response.StatusCode, body, context.Response.Headers.Location.FirstOrDefault(), context.Response.ContentType?.Split(';')[0]);
    }
}
