using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Xunit;

namespace EpisodePipeline.Tests.Transcription;

public class WorkerProtocolTests
{
    [Fact]
    public async Task TranscribeFrame_CarriesTheSliceNotItsSamples()
    {
        var slice = new WavSlice("/data/episodes/Épisode \"1\"/audio.wav", 5_760_000, 1_664_000); // 104 s from 6 min
        using var pipe = new MemoryStream();

        await WorkerProtocol.WriteTranscribeAsync(pipe, 7, slice, CancellationToken.None);
        pipe.Position = 0;
        var frame = await WorkerProtocol.ReadAsync(pipe, CancellationToken.None);

        Assert.Equal(WorkerFrameKind.Transcribe, frame!.Value.Kind);
        Assert.Equal(7, frame.Value.Id);
        Assert.Equal(slice, WorkerProtocol.ReadSlice(frame.Value));
        Assert.True(pipe.Length < 100, $"a request is {pipe.Length} bytes: the worker reads the samples itself");
    }

    [Fact]
    public async Task ReadSlice_OfAnotherKindOfFrame_IsAProtocolError()
    {
        using var pipe = new MemoryStream();
        await WorkerProtocol.WriteAsync(pipe, WorkerFrameKind.Segments, 3, "[]", CancellationToken.None);
        pipe.Position = 0;
        var frame = await WorkerProtocol.ReadAsync(pipe, CancellationToken.None);

        var error = Assert.Throws<InvalidDataException>(() => WorkerProtocol.ReadSlice(frame!.Value));

        Assert.Contains("Segments", error.Message);
    }
}
