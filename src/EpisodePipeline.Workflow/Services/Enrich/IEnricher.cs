using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// The local LLM behind the Enrich stage: is it there, and one chat turn answered with JSON that
/// follows a schema. Prompts, splitting and validation are the workflow's own; this is only the
/// conversation. <see cref="OllamaEnricher"/> talks to Ollama through its <see cref="IChatClient"/>.
/// </summary>
public interface IEnricher
{
    /// <summary>The model that answers, e.g. <c>llama3.1:8b</c>; part of an enrichment's fingerprint.</summary>
    string Model { get; }

    /// <summary>
    /// Checks that the server answers and the model is pulled. Fails with
    /// <see cref="EnrichmentFailedException"/> (after the HTTP retries, for a server that does not answer).
    /// </summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One answer to <paramref name="messages"/>, constrained to the JSON <paramref name="schema"/>
    /// (it may still be wrong: the caller validates). At most <paramref name="maxOutputTokens"/> are generated.
    /// Transient failures are retried inside; a permanent one is an <see cref="EnrichmentFailedException"/>.
    /// </summary>
    Task<string> AskJsonAsync(IReadOnlyList<ChatMessage> messages, JsonElement schema, int maxOutputTokens, CancellationToken cancellationToken);
}
