using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Log messages of the Whisper worker and its supervisor.</summary>
internal static partial class TranscriptionLog
{
    [LoggerMessage(101, LogLevel.Information, "Started Whisper worker {ProcessId} for model {ModelPath}")]
    public static partial void WorkerStarted(ILogger logger, int processId, string modelPath);

    [LoggerMessage(102, LogLevel.Information, "Loaded Whisper model {ModelPath} in worker {ProcessId}")]
    public static partial void ModelLoaded(ILogger logger, string modelPath, int processId);

    [LoggerMessage(103, LogLevel.Warning, "Whisper worker {ProcessId} exited unexpectedly: {Description}")]
    public static partial void WorkerDied(ILogger logger, int processId, string description);

    [LoggerMessage(104, LogLevel.Information, "Whisper model {ModelPath} changed on disk; starting a new worker, worker {ProcessId} finishes its requests and exits")]
    public static partial void ModelChanged(ILogger logger, string modelPath, int processId);

    [LoggerMessage(105, LogLevel.Debug, "whisper[{ProcessId}]: {Line}")]
    public static partial void WorkerOutput(ILogger logger, int processId, string line);
}
