using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EpisodePipeline.Services.Transcription;

/// <summary>One frame: kind, request id (0 for <see cref="WorkerFrameKind.Ready"/>/<see cref="WorkerFrameKind.LoadFailed"/>) and payload.</summary>
/// <param name="Samples">The samples of a <see cref="WorkerFrameKind.Transcribe"/> frame (its payload is then empty).</param>
public readonly record struct WorkerFrame(WorkerFrameKind Kind, long Id, byte[] Payload, float[]? Samples = null)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}
