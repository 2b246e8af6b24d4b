namespace EpisodePipeline.Services.Transcription;

/// <summary>The Whisper model is missing or cannot be loaded; retrying will not help.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
