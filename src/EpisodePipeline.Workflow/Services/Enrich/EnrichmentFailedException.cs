namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// The Enrich stage cannot succeed by trying again: the model is not pulled, Ollama refused the request
/// or does not answer after the retries, or the model's answers stayed invalid after the last attempt.
/// The orchestration does not retry it; the transcript stays, so a new job starts at Enrich.
/// </summary>
public sealed class EnrichmentFailedException(string message, Exception? inner = null) : Exception(message, inner);
