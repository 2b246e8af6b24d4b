using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>The local LLM the Enrich stage asks (Ollama's HTTP API).</summary>
public sealed class OllamaOptions
{
    [Required, Url]
    public string Url { get; set; } = "http://localhost:11434";

    /// <summary>An Ollama model name as <c>ollama list</c> shows it; a name without a tag means <c>:latest</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "llama3.1:8b";

    /// <summary>
    /// The context window (tokens) every request asks for (<c>num_ctx</c>). Transcripts are split into
    /// parts that fit it together with the instructions and the answer; more parts mean more calls.
    /// </summary>
    [Range(4096, 1_048_576)]
    public int ContextTokens { get; set; } = 8192;

    /// <summary>Parts of one episode analysed at the same time (Ollama serves parallel requests up to its <c>OLLAMA_NUM_PARALLEL</c>).</summary>
    [Range(1, 64)]
    public int MaxParallelRequests { get; set; } = 2;

    /// <summary>Answers asked for per call until one passes validation; the problem is told to the model each time.</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>Longest one HTTP request may take (the model writes the whole answer in it).</summary>
    [Range(1, 7200)]
    public int RequestTimeoutSeconds { get; set; } = 600;

    /// <summary>Retries of a request that timed out, could not connect or got a 5xx/429, with exponential back-off.</summary>
    [Range(0, 10)]
    public int HttpRetries { get; set; } = 3;

    /// <summary>First back-off delay of <see cref="HttpRetries"/>; it doubles each time (with jitter).</summary>
    [Range(0.0, 60.0)]
    public double RetryDelaySeconds { get; set; } = 2;

    /// <summary>Sampling temperature; low keeps the JSON and the quotes close to the transcript.</summary>
    [Range(0.0, 2.0)]
    public double Temperature { get; set; } = 0.2;
}
