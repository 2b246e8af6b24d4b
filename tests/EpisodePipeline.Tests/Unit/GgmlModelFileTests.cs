using System.Buffers.Binary;
using EpisodePipeline.TestKit;
using EpisodePipeline.Services.Transcription;
using EpisodePipeline.Tests.Support;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The managed model check on the tiny model and on the ways a real download goes wrong.</summary>
public sealed class GgmlModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ggml-test-").FullName;

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Good => File.ReadAllBytes(TestModel.Path);

    [Fact]
    public void Validate_TinyModel_PassesWithItsDeclaredLayout()
    {
        var info = GgmlModelFile.Validate(TestModel.Path);

        Assert.Equal(new FileInfo(TestModel.Path).Length, info.Length);
        Assert.Equal((51865, 1, 1, 32, 80, 1), (info.Vocabulary, info.AudioLayers, info.TextLayers, info.State, info.MelBands, info.Ftype));
        Assert.Equal(11 + 15 + 24, info.Tensors);
    }

    [Fact]
    public void Validate_MissingFile_NamesPathKeyAndHowToGetOne()
    {
        var path = Path.Combine(_folder, "nope.bin");

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("Pipeline:Whisper:ModelPath", error.Message);
        Assert.Contains("models download", error.Message);
    }

    [Fact]
    public void Validate_EmptyFile_SaysItIsEmpty()
    {
        var path = Write("empty.bin", []);

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        AssertNames(error, path, "the file is empty");
    }

    [Fact]
    public void Validate_RandomBytes_SaysItIsNotAGgmlModel()
    {
        var bytes = new byte[100_000];
        new Random(7).NextBytes(bytes);
        var path = Write("random.bin", bytes);

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        AssertNames(error, path, "ggml magic");
    }

    [Theory]
    [InlineData(4096)]          // the first few KB of a download: a valid header, then nothing
    [InlineData(300_000)]       // inside the vocabulary
    [InlineData(-1)]            // one byte short of the last tensor
    public void Validate_TruncatedModel_SaysTheDownloadIsIncomplete(int keep)
    {
        var good = Good;
        var path = Write("truncated.bin", good[..(keep < 0 ? good.Length + keep : keep)]);

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        AssertNames(error, path, "the download is incomplete");
        Assert.Contains($"ends after {new FileInfo(path).Length:N0} of at least", error.Message);
    }

    [Fact]
    public void Validate_OneTensorsDimensionsChanged_SaysTheTensorTableIsDamaged()
    {
        var bytes = Good;
        var info = GgmlModelFile.Validate(TestModel.Path);

        // The first tensor is encoder.positional_embedding [32, 1500] f32: make it [32, 1400].
        var dims = (int)info.TensorsOffset + 12;
        Assert.Equal(32, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(dims)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(dims + 4), 1400);
        var path = Write("damaged.bin", bytes);

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        AssertNames(error, path, "damaged");
    }

    [Fact]
    public void Validate_ExtraBytesAfterTheLastTensor_IsRejected()
    {
        var path = Write("padded.bin", [.. Good, .. new byte[64]]);

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Validate_UnknownTensorType_IsRejectedBeforeNativeCodeIndexesItsTypeTable()
    {
        var bytes = Good;
        var info = GgmlModelFile.Validate(TestModel.Path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((int)info.TensorsOffset + 8), 99);
        var path = Write("type99.bin", bytes);

        var error = Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(path));

        AssertNames(error, path, "unknown element type 99");
    }

    // ggml_ftype in the header, ggml_type of the big matrices, and bytes per block of 32 (f16: per element).
    [Theory]
    [InlineData(1, 1, 64)]    // f16: 2 bytes × 32
    [InlineData(2, 2, 18)]    // q4_0
    [InlineData(3, 3, 20)]    // q4_1
    [InlineData(8, 6, 22)]    // q5_0
    [InlineData(9, 7, 24)]    // q5_1
    [InlineData(7, 8, 34)]    // q8_0
    public void Validate_QuantizedModel_AcceptsExactlyTheDeclaredBlockSizes(int ftype, int type, int bytesPer32)
    {
        var bytes = Requantize(ftype, type, bytesPer32, extra: 0);
        var path = Write($"q{type}.bin", bytes);

        var info = GgmlModelFile.Validate(path);

        Assert.Equal(bytes.Length, info.Length);
        Assert.Equal(ftype, info.Ftype);
        Assert.Throws<ModelUnavailableException>(() => GgmlModelFile.Validate(Write($"q{type}-short.bin", Requantize(ftype, type, bytesPer32, extra: -1))));
    }

    [Fact]
    public void Validate_F32Model_AcceptsFourBytesPerElement()
    {
        var path = Write("f32.bin", Requantize(0, 0, 128, extra: 0));

        Assert.Equal(0, GgmlModelFile.Validate(path).Ftype);
    }

    /// <summary>The tiny model with every f16 matrix rewritten as <paramref name="type"/> (zero data of that type's size).</summary>
    private static byte[] Requantize(int ftype, int type, int bytesPer32, int extra)
    {
        var good = Good;
        var info = GgmlModelFile.Validate(TestModel.Path);
        using var output = new MemoryStream();
        output.Write(good, 0, (int)info.TensorsOffset);
        var header = output.GetBuffer();
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4 + (10 * 4)), ftype);

        var at = (int)info.TensorsOffset;
        var lastData = 0;
        while (at < good.Length)
        {
            var dims = BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(at));
            var nameLength = BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(at + 4));
            var oldType = BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(at + 8));
            long elements = 1;
            for (var d = 0; d < dims; d++)
            {
                elements *= BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(at + 12 + (4 * d)));
            }

            var headerLength = 12 + (4 * dims) + nameLength;
            var oldSize = (int)elements * (oldType == 0 ? 4 : 2);
            var tensorHeader = good.AsSpan(at, headerLength).ToArray();
            var newSize = oldSize;
            if (oldType == 1)
            {
                BinaryPrimitives.WriteInt32LittleEndian(tensorHeader.AsSpan(8), type);
                newSize = (int)(elements / 32 * bytesPer32);
            }

            output.Write(tensorHeader);
            lastData = newSize;
            output.Write(new byte[newSize]);
            at += headerLength + oldSize;
        }

        Assert.True(lastData > 0);
        output.SetLength(output.Length + extra);
        return output.ToArray();
    }

    private static void AssertNames(ModelUnavailableException error, string path, string what)
    {
        Assert.Contains(path, error.Message);
        Assert.Contains("Pipeline:Whisper:ModelPath", error.Message);
        Assert.Contains(what, error.Message);
        Assert.Contains("models download", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
