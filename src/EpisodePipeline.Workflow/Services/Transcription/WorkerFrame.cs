using System.Text;

namespace EpisodePipeline.Services.Transcription;

/// <summary>One frame: kind, request id (0 for <see cref="WorkerFrameKind.Ready"/>/<see cref="WorkerFrameKind.LoadFailed"/>) and payload.</summary>
public readonly record struct WorkerFrame(WorkerFrameKind Kind, long Id, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}
