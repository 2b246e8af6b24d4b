namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// The Whisper worker process died while it held this request (a native crash, or it was killed). The host
/// is unaffected and the next request starts a fresh worker; retrying may help if something else caused it,
/// and a slice that crashes the worker every time fails after the orchestration's retry policy gives up.
/// </summary>
public sealed class TranscriptionWorkerCrashedException(string message, int otherRequestsInFlight = 0) : Exception(message)
{
    /// <summary>Requests the worker held besides this one when it died: any of them may have caused it.</summary>
    public int OtherRequestsInFlight { get; } = otherRequestsInFlight;
}
