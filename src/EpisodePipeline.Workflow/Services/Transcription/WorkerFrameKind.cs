using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EpisodePipeline.Services.Transcription;

/// <summary>Kinds of frame exchanged with the Whisper worker process.</summary>
public enum WorkerFrameKind : byte
{
    /// <summary>Host → worker: transcribe; payload int32 sample count, then that many float32 samples.</summary>
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
