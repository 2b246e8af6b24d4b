using System.Buffers.Binary;
using System.Globalization;

namespace EpisodePipeline.Services.Transcription;

/// <summary>What a valid whisper.cpp ggml model file declares about itself.</summary>
/// <param name="Length">File length in bytes; always equal to what the header and tensor table declare.</param>
/// <param name="Ftype">Weight type of the big matrices (ggml_ftype: 0 f32, 1 f16, 2 q4_0, ...), without the quantization version.</param>
/// <param name="TensorsOffset">Where the tensor table starts, after the vocabulary.</param>
public sealed record GgmlModelInfo(long Length, int Vocabulary, int AudioLayers, int TextLayers, int State, int MelBands, int Ftype, int Tensors, long TensorsOffset);
