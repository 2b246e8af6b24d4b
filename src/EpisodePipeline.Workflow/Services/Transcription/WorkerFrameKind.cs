using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Kinds of frame exchanged with the Whisper worker process.</summary>
public enum WorkerFrameKind : byte
{
    /// <summary>
    /// Host → worker: transcribe a slice of the extracted WAV, which the worker reads itself; payload int64 first
    /// sample, int32 sample count, UTF-8 path (<see cref="WorkerProtocol.ReadSlice"/>).
    /// </summary>
    Transcribe = 1,

    /// <summary>Worker → host, once, first: the model is loaded; payload UTF-8 model path.</summary>
    Ready = 10,

    /// <summary>Worker → host, instead of <see cref="Ready"/>, before it exits: payload UTF-8 message.</summary>
    LoadFailed = 11,

    /// <summary>Worker → host: payload UTF-8 JSON array of <c>{start, end, text}</c> (seconds from the first sample).</summary>
    Segments = 12,

    /// <summary>Worker → host: the request failed with a managed error; payload UTF-8 message.</summary>
    Failed = 13,
}
