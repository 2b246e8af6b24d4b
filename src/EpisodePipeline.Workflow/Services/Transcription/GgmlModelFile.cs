using System.Buffers.Binary;
using System.Globalization;

namespace EpisodePipeline.Services.Transcription;

/// <summary>
/// Checks a whisper.cpp ggml model file in managed code before any native code sees it. whisper.cpp's
/// loader (<c>whisper_model_load</c>) trusts the file: a truncated download or a damaged tensor table
/// makes it read past the end, allocate what a garbage size says, or index its type table with a
/// garbage type, and the process dies with a native assertion instead of an error. This walks the
/// same layout (magic, hparams, mel filters, vocabulary, tensors) and insists that the file is
/// exactly as long as its header and tensor table say.
/// </summary>
public static class GgmlModelFile
{
    /// <summary>The configuration key the path comes from; every message names it.</summary>
    public const string ModelPathKey = "Pipeline:Whisper:ModelPath";

    /// <summary>How to get a model, appended to every message.</summary>
    public const string HowToGetAModel =
        "Get one with 'dotnet run --project src/EpisodePipeline.Host -- models download base.en' (needs internet) or copy a ggml model file there.";

    private const uint Magic = 0x67676d6c; // "ggml"
    private const int QuantizationVersionFactor = 1000; // GGML_QNT_VERSION_FACTOR: ftype = version * 1000 + type

    // Sanity bounds far above any released Whisper model (large-v3: 51,866 tokens, 32 layers, 1,280 state, 128 mels),
    // so a garbage header is recognised before its sizes are multiplied.
    private const int MaxVocabulary = 1 << 20;
    private const int MaxLayers = 256;
    private const int MaxState = 1 << 16;
    private const int MaxContext = 1 << 16;
    private const int MaxTokenBytes = 1 << 16;
    private const int MaxTensorNameBytes = 1024;

    /// <summary>
    /// Validates the model at <paramref name="path"/>; fails with <see cref="ModelUnavailableException"/>
    /// naming the path, <see cref="ModelPathKey"/>, what is wrong and how to get a model.
    /// </summary>
    public static GgmlModelInfo Validate(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new ModelUnavailableException($"Whisper model not found at '{path}' ({ModelPathKey}). {HowToGetAModel}");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            return Read(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelUnavailableException(
                $"Whisper model at '{path}' ({ModelPathKey}) is not a usable ggml model: {ex.Message}. Replace it with a good one. {HowToGetAModel}", ex);
        }
        catch (IOException ex)
        {
            throw new ModelUnavailableException($"Whisper model at '{path}' ({ModelPathKey}) cannot be read: {ex.Message}. {HowToGetAModel}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelUnavailableException($"Whisper model at '{path}' ({ModelPathKey}) cannot be read: {ex.Message}. {HowToGetAModel}", ex);
        }
    }

    /// <summary>Reads and checks the layout; a problem is an <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static GgmlModelInfo Read(Stream stream)
    {
        var reader = new Reader(stream);
        if (reader.Length == 0)
        {
            throw new InvalidDataException("the file is empty");
        }

        if (reader.Length < 4 || reader.UInt32() != Magic)
        {
            throw new InvalidDataException("it does not start with the ggml magic; it is not a whisper.cpp model (or not this format)");
        }

        // hparams, in whisper_model_load's order.
        var vocabulary = reader.Int32("n_vocab", 1, MaxVocabulary);
        _ = reader.Int32("n_audio_ctx", 1, MaxContext);
        var audioState = reader.Int32("n_audio_state", 1, MaxState);
        _ = reader.Int32("n_audio_head", 1, MaxState);
        var audioLayers = reader.Int32("n_audio_layer", 1, MaxLayers);
        _ = reader.Int32("n_text_ctx", 1, MaxContext);
        var textState = reader.Int32("n_text_state", 1, MaxState);
        _ = reader.Int32("n_text_head", 1, MaxState);
        var textLayers = reader.Int32("n_text_layer", 1, MaxLayers);
        var mels = reader.Int32("n_mels", 1, 1024);
        var ftype = reader.Int32("ftype", 0, 100 * QuantizationVersionFactor) % QuantizationVersionFactor;
        if (textState != audioState)
        {
            // whisper.cpp asserts this and aborts.
            throw new InvalidDataException($"the header is damaged: n_text_state ({textState}) differs from n_audio_state ({audioState})");
        }

        if (!GgmlTypes.IsWeightType(ftype))
        {
            throw new InvalidDataException($"the header declares weight type {ftype}, which whisper.cpp does not load");
        }

        // Mel filters: n_mel * n_fft floats.
        var filterMels = reader.Int32("mel filter n_mel", 1, 1024);
        var filterFft = reader.Int32("mel filter n_fft", 1, 1 << 16);
        reader.Skip((long)filterMels * filterFft * 4, "the mel filters");

        // Vocabulary: n_vocab length-prefixed tokens (the file may list fewer than hparams.n_vocab).
        var tokens = reader.Int32("vocabulary size", 0, MaxVocabulary);
        for (var i = 0; i < tokens; i++)
        {
            var length = reader.UInt32($"length of token {i}");
            if (length > MaxTokenBytes)
            {
                throw new InvalidDataException($"the vocabulary is damaged: token {i} claims {length:N0} bytes");
            }

            reader.Skip(length, $"token {i}");
        }

        // Tensors until the end of the file, each: n_dims, name length, type, dims, name, data.
        var tensorsOffset = reader.Position;
        var expectedTensors = 11 + (15 * audioLayers) + (24 * textLayers); // whisper_model_load's tensor map
        var count = 0;
        Span<byte> name = stackalloc byte[MaxTensorNameBytes];
        Span<int> shape = stackalloc int[4];
        while (reader.Position < reader.Length)
        {
            var at = reader.Position;
            var dims = reader.Int32($"tensor {count} n_dims", 1, 4);
            var nameLength = reader.Int32($"tensor {count} name length", 1, MaxTensorNameBytes);
            var type = reader.Int32($"tensor {count} type", 0, int.MaxValue);
            long elements = 1;
            for (var d = 0; d < dims; d++)
            {
                shape[d] = reader.Int32($"tensor {count} dimension {d}", 1, int.MaxValue);
                elements *= shape[d];
                if (elements > int.MaxValue)
                {
                    // whisper.cpp multiplies the dimensions in an int32.
                    throw new InvalidDataException($"the tensor table is damaged: tensor {count} at byte {at:N0} declares more than {int.MaxValue:N0} elements");
                }
            }

            reader.Read(name[..nameLength], $"the name of tensor {count}");
            var tensorName = System.Text.Encoding.UTF8.GetString(name[..nameLength]);
            if (!GgmlTypes.TryDataSize(type, elements, out var size))
            {
                throw new InvalidDataException(GgmlTypes.IsKnown(type)
                    ? $"the tensor table is damaged: tensor '{tensorName}' has {elements:N0} elements, not a whole number of {GgmlTypes.Name(type)} blocks"
                    : $"the tensor table is damaged: tensor '{tensorName}' declares unknown element type {type}");
            }

            reader.Skip(size, $"the data of tensor '{tensorName}'");
            count++;
        }

        if (count == 0)
        {
            throw new InvalidDataException("it has no tensors (the file ends after the vocabulary)");
        }

        if (count != expectedTensors)
        {
            throw new InvalidDataException(
                $"the tensor table is damaged: it lists {count} tensors where a model with {audioLayers} audio and {textLayers} text layers has {expectedTensors}");
        }

        return new GgmlModelInfo(reader.Length, vocabulary, audioLayers, textLayers, audioState, mels, ftype, count, tensorsOffset);
    }

    /// <summary>Little-endian reads that turn "past the end" into a message about the declared length.</summary>
    private sealed class Reader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4];

        public long Length { get; } = stream.Length;

        public long Position { get; private set; }

        public uint UInt32(string? what = null)
        {
            Read(_buffer, what ?? "the header");
            return BinaryPrimitives.ReadUInt32LittleEndian(_buffer);
        }

        public int Int32(string what, int min, int max)
        {
            Read(_buffer, what);
            var value = BinaryPrimitives.ReadInt32LittleEndian(_buffer);
            if (value < min || value > max)
            {
                throw new InvalidDataException($"the file is damaged at byte {Position - 4:N0}: {what} is {value.ToString("N0", CultureInfo.InvariantCulture)}, outside {min:N0}..{max:N0}");
            }

            return value;
        }

        public void Read(Span<byte> target, string what)
        {
            Need(target.Length, what);
            stream.Position = Position;
            stream.ReadExactly(target);
            Position += target.Length;
        }

        public void Skip(long bytes, string what)
        {
            Need(bytes, what);
            Position += bytes;
        }

        private void Need(long bytes, string what)
        {
            if (Position + bytes > Length)
            {
                throw new InvalidDataException(
                    $"it ends after {Length.ToString("N0", CultureInfo.InvariantCulture)} of at least {(Position + bytes).ToString("N0", CultureInfo.InvariantCulture)} bytes the header declares (in {what}): the download is incomplete");
            }
        }
    }
}

/// <summary>ggml element types a whisper.cpp model file may use, with their block sizes (ggml.c <c>type_traits</c>).</summary>
internal static class GgmlTypes
{
    // type id → (elements per block, bytes per block)
    private static readonly Dictionary<int, (string Name, int Block, int Bytes)> Traits = new()
    {
        [0] = ("f32", 1, 4),
        [1] = ("f16", 1, 2),
        [2] = ("q4_0", 32, 18),
        [3] = ("q4_1", 32, 20),
        [6] = ("q5_0", 32, 22),
        [7] = ("q5_1", 32, 24),
        [8] = ("q8_0", 32, 34),
        [10] = ("q2_K", 256, 84),
        [11] = ("q3_K", 256, 110),
        [12] = ("q4_K", 256, 144),
        [13] = ("q5_K", 256, 176),
        [14] = ("q6_K", 256, 210),
    };

    // ggml_ftype → weight type: ALL_F32 0, MOSTLY_F16 1, Q4_0 2, Q4_1 3, Q8_0 7, Q5_0 8, Q5_1 9, Q2_K 10, Q3_K 11, Q4_K 12, Q5_K 13, Q6_K 14.
    private static readonly HashSet<int> WeightFtypes = [0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14];

    public static bool IsWeightType(int ftype) => WeightFtypes.Contains(ftype);

    public static bool IsKnown(int type) => Traits.ContainsKey(type);

    public static string Name(int type) => Traits.TryGetValue(type, out var t) ? t.Name : $"type {type}";

    /// <summary>Bytes of <paramref name="elements"/> elements of <paramref name="type"/>; false for unknown types or partial blocks.</summary>
    public static bool TryDataSize(int type, long elements, out long bytes)
    {
        bytes = 0;
        if (!Traits.TryGetValue(type, out var t) || elements % t.Block != 0)
        {
            return false;
        }

        bytes = elements / t.Block * t.Bytes;
        return true;
    }
}
