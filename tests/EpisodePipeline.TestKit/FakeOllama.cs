using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.TestKit;

/// <summary>
/// A stand-in for an Ollama server that speaks its HTTP API on a free loopback port (real Kestrel):
/// <c>GET /</c> ("Ollama is running"), <c>GET /api/version</c>, <c>GET /api/tags</c> (the models
/// <see cref="Models"/> lists), and <c>POST /api/chat</c>, streamed as NDJSON or, with
/// <c>"stream": false</c>, one JSON object. Unknown body fields are ignored, a model that is not in
/// <see cref="Models"/> gets Ollama's 404. Each chat is recorded (<see cref="Chats"/>) and answered
/// by the next scripted reply (<see cref="Enqueue"/>), else by <see cref="Respond"/>. With
/// <see cref="TokensPerSecond"/> set, an answer takes as long as a model generating at that rate
/// would (about four characters per token). <see cref="Down"/> drops every connection unanswered.
/// </summary>
public sealed class FakeOllama : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<FakeReply> _script = new();
    private readonly List<FakeChatRequest> _chats = [];
    private readonly object _gate = new();
    private int _tagsRequests;
    private SemaphoreSlim? _hold;
    private int _dropped;

    private FakeOllama(WebApplication app)
    {
        _app = app;
        app.MapGet("/", () => Results.Text("Ollama is running"));
        app.MapGet("/api/version", () => Results.Json(new { version = "0.12.6" }));
        app.MapGet("/api/tags", Tags);
        app.MapPost("/api/chat", ChatAsync);
    }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The models <c>/api/tags</c> lists, i.e. the ones "pulled".</summary>
    public List<string> Models { get; } = [];

    /// <summary>Answers a chat when no scripted reply is queued; default: <see cref="PlausibleAnswers.For"/>.</summary>
    public Func<FakeChatRequest, FakeReply> Respond { get; set; } = r => FakeReply.Answer(PlausibleAnswers.For(r));

    /// <summary>Output tokens per second of the simulated model; 0 answers at once.</summary>
    public double TokensPerSecond { get; set; }

    /// <summary>While true every request's connection is dropped without an answer (a crashed or unreachable server).</summary>
    public bool Down { get; set; }

    public IReadOnlyList<FakeChatRequest> Chats
    {
        get
        {
            lock (_gate)
            {
                return [.. _chats];
            }
        }
    }

    public int TagsRequests => Volatile.Read(ref _tagsRequests);

    /// <summary>Requests whose connection was dropped while <see cref="Down"/>.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    public static async Task<FakeOllama> StartAsync(params string[] models)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeOllama(builder.Build());
        fake.Models.AddRange(models);
        fake._app.Use(async (context, next) =>
        {
            if (fake.Down)
            {
                Interlocked.Increment(ref fake._dropped);
                context.Abort();
                return;
            }

            await next(context);
        });
        await fake._app.StartAsync();
        fake.Url = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Replies for the next chats, in order; after them <see cref="Respond"/> answers.</summary>
    public void Enqueue(params FakeReply[] replies)
    {
        lock (_gate)
        {
            foreach (var reply in replies)
            {
                _script.Enqueue(reply);
            }
        }
    }

    /// <summary>From now on every chat waits, after it is recorded, until <see cref="Release"/> lets it answer.</summary>
    public void Hold() => _hold = new SemaphoreSlim(0);

    /// <summary>Lets <paramref name="count"/> held chats answer.</summary>
    public void Release(int count = 1) => _hold?.Release(count);

    /// <summary>Stops holding chats and lets every waiting one answer.</summary>
    public void OpenFully()
    {
        var hold = _hold;
        _hold = null;
        hold?.Release(1000);
    }

    private IResult Tags()
    {
        Interlocked.Increment(ref _tagsRequests);
        var models = Models.Select(name => new
        {
            name,
            model = name,
            modified_at = "2026-11-01T10:00:00.000000000+01:00",
            size = 4_920_753_328L,
            digest = "46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e",
            details = new { parent_model = "", format = "gguf", family = "llama", families = new[] { "llama" }, parameter_size = "8.0B", quantization_level = "Q4_K_M" },
        });
        return Results.Json(new { models });
    }

    private async Task ChatAsync(HttpContext context)
    {
        JsonObject body;
        try
        {
            body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? throw new JsonException("empty body");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            await Error(context, HttpStatusCode.BadRequest, "invalid character in request body");
            return;
        }

        var request = FakeChatRequest.From(body);
        FakeReply? scripted = null;
        lock (_gate)
        {
            _chats.Add(request);
            if (_script.Count > 0)
            {
                scripted = _script.Dequeue();
            }
        }

        if (!Models.Any(m => SameModel(m, request.Model)))
        {
            await Error(context, HttpStatusCode.NotFound, $"model \"{request.Model}\" not found, try pulling it first");
            return;
        }

        if (_hold is { } hold)
        {
            try
            {
                await hold.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var reply = scripted ?? Respond(request);
        var delay = reply.Delay + (TokensPerSecond > 0 ? TimeSpan.FromSeconds(Math.Ceiling(reply.Content.Length / 4.0) / TokensPerSecond) : TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (reply.Status != HttpStatusCode.OK)
        {
            await Error(context, reply.Status, reply.Content);
            return;
        }

        var created = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var evalCount = (int)Math.Ceiling(reply.Content.Length / 4.0);
        var done = new JsonObject
        {
            ["model"] = request.Model,
            ["created_at"] = created,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "" },
            ["done_reason"] = "stop",
            ["done"] = true,
            ["total_duration"] = (long)(delay.TotalMilliseconds * 1_000_000),
            ["load_duration"] = 1_000_000,
            ["prompt_eval_count"] = request.Messages.Sum(m => m.Content.Length) / 4,
            ["prompt_eval_duration"] = 1_000_000,
            ["eval_count"] = evalCount,
            ["eval_duration"] = (long)(delay.TotalMilliseconds * 1_000_000),
        };

        if (!request.Stream)
        {
            done["message"]!["content"] = reply.Content;
            await Results.Json(done).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        var chunk = Math.Max(1, reply.Content.Length / 16);
        for (var i = 0; i < reply.Content.Length; i += chunk)
        {
            var line = new JsonObject
            {
                ["model"] = request.Model,
                ["created_at"] = created,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content.Substring(i, Math.Min(chunk, reply.Content.Length - i)) },
                ["done"] = false,
            };
            await context.Response.WriteAsync(line.ToJsonString() + "\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }

        await context.Response.WriteAsync(done.ToJsonString() + "\n", Encoding.UTF8);
    }

    private static Task Error(HttpContext context, HttpStatusCode status, string message)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }

    private static bool SameModel(string a, string b)
    {
        static string Tagged(string name) => name.Contains(':', StringComparison.Ordinal) ? name : name + ":latest";
        return string.Equals(Tagged(a), Tagged(b), StringComparison.OrdinalIgnoreCase);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One <c>POST /api/chat</c> as the fake received it.</summary>
public sealed record FakeChatRequest(string Model, bool Stream, JsonNode? Format, JsonObject? Options, IReadOnlyList<FakeMessage> Messages, JsonObject Body)
{
    public string System => Messages.FirstOrDefault(m => m.Role == "system")?.Content ?? "";

    /// <summary>The first user message: the material (transcript lines or notes).</summary>
    public string Material => Messages.FirstOrDefault(m => m.Role == "user")?.Content ?? "";

    /// <summary>True when the <c>format</c> schema requires <paramref name="field"/> (tells the final answer from notes).</summary>
    public bool Requires(string field) =>
        Format?["required"] is JsonArray required && required.Any(r => r?.GetValue<string>() == field);

    internal static FakeChatRequest From(JsonObject body) => new(
        body["model"]?.GetValue<string>() ?? "",
        body["stream"]?.GetValue<bool>() ?? true,
        body["format"]?.DeepClone(),
        body["options"]?.DeepClone() as JsonObject,
        [.. (body["messages"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(m => new FakeMessage(m["role"]?.GetValue<string>() ?? "", m["content"]?.GetValue<string>() ?? ""))],
        body);
}

public sealed record FakeMessage(string Role, string Content);

/// <summary>What the fake answers to one chat.</summary>
public sealed record FakeReply(string Content, HttpStatusCode Status = HttpStatusCode.OK, TimeSpan Delay = default)
{
    /// <summary>The model's message content (JSON text or junk).</summary>
    public static FakeReply Answer(string content) => new(content);

    public static FakeReply Answer(object json) => new(JsonSerializer.Serialize(json));

    /// <summary>An Ollama error: <c>{"error": message}</c> with <paramref name="status"/>.</summary>
    public static FakeReply Fail(HttpStatusCode status, string message) => new(message, status);
}
