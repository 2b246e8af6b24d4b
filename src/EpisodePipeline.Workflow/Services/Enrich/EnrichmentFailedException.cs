namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// The Enrich stage cannot succeed by trying again: the model is not pulled, Ollama refused the request
/// or does not answer after the retries, or the model's answers stayed invalid after the last attempt.
/// The orchestration does not retry it; the transcript stays, so a new job starts at Enrich.
/// It carries no inner exception: the job's error is the innermost failure's message, so this
/// message says it all (the cause included).
/// </summary>
public sealed class EnrichmentFailedException(string message) : Exception(message);
