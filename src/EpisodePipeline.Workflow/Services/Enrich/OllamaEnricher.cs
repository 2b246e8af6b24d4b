using System.Net;
using System.Text.Json;
using EpisodePipeline.Logging;
using EpisodePipeline.Options;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OllamaSharp.Models.Exceptions;
using Polly.Timeout;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// <see cref="IEnricher"/> over Ollama's HTTP API with OllamaSharp. The readiness check uses
/// <c>GET /api/tags</c>; answers go through OllamaSharp's <see cref="IChatClient"/> (<c>POST /api/chat</c>,
/// <c>stream: false</c>, the schema as <c>format</c>, <c>num_ctx</c> from the options), so another
/// OpenAI-compatible local server only needs another <see cref="IChatClient"/>. The
/// <see cref="HttpClient"/> comes from the factory with the resilience pipeline registered in
/// <see cref="EpisodePipelineServiceCollectionExtensions.AddEpisodePipeline"/>: time-outs,
/// connection errors, 5xx and 429 back off and retry there; other statuses fail at once.
/// </summary>
public sealed class OllamaEnricher(IHttpClientFactory httpClients, IOptions<PipelineOptions> options, ILogger<OllamaEnricher> logger) : IEnricher
{
    /// <summary>The named <see cref="HttpClient"/> (base address and resilience pipeline).</summary>
    public const string HttpClientName = "ollama";

    private readonly OllamaOptions _options = options.Value.Ollama;

    public string Model => _options.Model;

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        IEnumerable<OllamaSharp.Models.Model> models;
        try
        {
            models = await client.ListLocalModelsAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or JsonException)
        {
            throw new EnrichmentFailedException(
                $"Ollama does not answer at {_options.Url} ({Describe(e)}); start it with `ollama serve` or set Pipeline:Ollama:Url.");
        }

        var pulled = (models ?? []).SelectMany(m => new[] { m.Name, m.ModelName }).OfType<string>().ToList();
        if (!pulled.Any(name => SameModel(name, _options.Model)))
        {
            throw NotPulled();
        }

        logger.OllamaReady(_options.Url, _options.Model);
    }

    public async Task<string> AskJsonAsync(IReadOnlyList<ChatMessage> messages, JsonElement schema, int maxOutputTokens, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        IChatClient chat = client;
        var chatOptions = new ChatOptions
        {
            ModelId = _options.Model,
            Temperature = (float)_options.Temperature,
            MaxOutputTokens = maxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer"),
            AdditionalProperties = new() { ["num_ctx"] = _options.ContextTokens },
        };

        try
        {
            var response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken);
            return response.Text;
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotPulled();
        }
        catch (HttpRequestException e) when (e.StatusCode is { } status && (int)status is >= 400 and < 500 && status != HttpStatusCode.TooManyRequests && status != HttpStatusCode.RequestTimeout)
        {
            throw new EnrichmentFailedException($"Ollama at {_options.Url} refused the request ({(int)status} {status}).");
        }
        catch (OllamaException e)
        {
            // OllamaSharp turns 400 Bad Request into OllamaException with Ollama's own message.
            throw new EnrichmentFailedException($"Ollama at {_options.Url} refused the request: {e.Message}");
        }
    }

    /// <summary>Ollama names without a tag mean <c>:latest</c>; names compare case-insensitively.</summary>
    public static bool SameModel(string a, string b) => string.Equals(WithTag(a), WithTag(b), StringComparison.OrdinalIgnoreCase);

    private static string WithTag(string name) => name.Contains(':', StringComparison.Ordinal) ? name : name + ":latest";

    private EnrichmentFailedException NotPulled() =>
        new($"model {_options.Model} is not pulled on the Ollama server at {_options.Url}; run `ollama pull {_options.Model}`");

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => "timed out",
        HttpRequestException { StatusCode: { } status } => $"{(int)status} {status}",
        _ => e.InnerException?.Message ?? e.Message,
    };

    private OllamaApiClient CreateClient() => new(httpClients.CreateClient(HttpClientName), _options.Model);
}
