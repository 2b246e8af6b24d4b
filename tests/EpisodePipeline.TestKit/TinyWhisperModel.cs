#nullable enable

using System;
using System.IO;
using System.Text;

namespace EpisodePipeline.TestKit;

/// <summary>
/// Writes a tiny Whisper model with random weights in whisper.cpp's legacy ggml format,
/// so tests can drive the real Whisper.net / whisper.cpp pipeline end to end without
/// downloading a real model. The transcripts are nonsense, but segments and timestamps are real.
/// </summary>
/// <remarks>
/// The layout mirrors <c>whisper_model_load</c> in whisper.cpp 1.8.x (bundled by Whisper.net 1.9.1):
/// magic, hparams, mel filters, vocabulary, then named tensors. The loader rejects a file unless every
/// tensor it expects is present with exactly the expected shape and element type, so the list below
/// must stay complete.
/// </remarks>
public static class TinyWhisperModel
{
    private const uint GgmlMagic = 0x67676d6c; // "ggml"

    // whisper.cpp decides "multilingual" from n_vocab >= 51865 and derives every special token id
    // (sot, language tokens, timestamps, ...) from that size, so the full multilingual layout is
    // kept even though the network itself is tiny.
    private const int VocabSize = 51865;
    private const int TextTokenCount = 50257; // ids below eot; the loader names the special tokens itself

    private const int AudioContext = 1500; // fixed by the 30 s window: 3000 mel frames / conv stride 2
    private const int TextContext = 448;
    private const int MelBands = 80;       // the log-mel front end is hard-wired for 80 (or 128) bands
    private const int FftBins = 201;       // 1 + n_fft / 2 with whisper.cpp's fixed n_fft = 400
    private const int SampleRate = 16000;

    private const int State = 32;
    private const int Heads = 2;
    private const int AudioLayers = 1;
    // Two text layers would make whisper.cpp treat the model as a first-release distilled model
    // and silently force no_timestamps, so stay at one.
    private const int TextLayers = 1;

    private const int FtypeF16 = 1; // f32 models abort the process in the bundled whisper.cpp
    private const int TypeF32 = 0;
    private const int TypeF16 = 1;

    /// <summary>Writes the model to <paramref name="path"/>; the same seed always yields the same bytes.</summary>
    public static void Write(string path, int seed = 1234)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        if (!BitConverter.IsLittleEndian)
        {
            // ggml files are little-endian. BinaryWriter always writes little-endian, so this only
            // documents the assumption; whisper.cpp itself would need byte-swapping on such a host.
            throw new PlatformNotSupportedException("TinyWhisperModel requires a little-endian host.");
        }

        var rng = new SplitMix64((ulong)(uint)seed);

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: false);

        writer.Write(GgmlMagic);
        WriteHyperParameters(writer);
        WriteMelFilters(writer);
        WriteVocabulary(writer);
        WriteTensors(writer, rng);
    }

    private static void WriteHyperParameters(BinaryWriter writer)
    {
        writer.Write(VocabSize);
        writer.Write(AudioContext);
        writer.Write(State);
        writer.Write(Heads);
        writer.Write(AudioLayers);
        writer.Write(TextContext);
        writer.Write(State); // whisper.cpp asserts n_text_state == n_audio_state
        writer.Write(Heads);
        writer.Write(TextLayers);
        writer.Write(MelBands);
        writer.Write(FtypeF16);
    }

    /// <summary>
    /// A genuine Slaney-style mel filter bank (what librosa / OpenAI Whisper use), so the encoder
    /// sees a spectrogram that actually follows the audio rather than noise.
    /// </summary>
    private static void WriteMelFilters(BinaryWriter writer)
    {
        writer.Write(MelBands);
        writer.Write(FftBins);

        var edgesHz = new double[MelBands + 2];
        double melMax = HzToMel(SampleRate / 2.0);
        for (int i = 0; i < edgesHz.Length; i++)
        {
            edgesHz[i] = MelToHz(melMax * i / (MelBands + 1));
        }

        for (int m = 0; m < MelBands; m++)
        {
            double lo = edgesHz[m], centre = edgesHz[m + 1], hi = edgesHz[m + 2];
            double norm = 2.0 / (hi - lo); // Slaney area normalisation
            for (int k = 0; k < FftBins; k++)
            {
                double f = k * (double)SampleRate / ((FftBins - 1) * 2);
                double rising = (f - lo) / (centre - lo);
                double falling = (hi - f) / (hi - centre);
                writer.Write((float)(Math.Max(0.0, Math.Min(rising, falling)) * norm));
            }
        }
    }

    // Slaney mel scale: linear below 1 kHz, logarithmic above.
    private const double MelLinearStep = 200.0 / 3.0;
    private const double MelLogStart = 1000.0 / MelLinearStep;
    private static readonly double MelLogStep = Math.Log(6.4) / 27.0;

    private static double HzToMel(double hz) =>
        hz < 1000.0 ? hz / MelLinearStep : MelLogStart + Math.Log(hz / 1000.0) / MelLogStep;

    private static double MelToHz(double mel) =>
        mel < MelLogStart ? mel * MelLinearStep : 1000.0 * Math.Exp((mel - MelLogStart) * MelLogStep);

    /// <summary>
    /// Only the ordinary text tokens are written; the loader fills in the special tokens
    /// (sot, languages, timestamps) itself when the file's list is shorter than n_vocab.
    /// Tokens are unique pronounceable ASCII so transcripts read as words rather than noise.
    /// </summary>
    private static void WriteVocabulary(BinaryWriter writer)
    {
        writer.Write(TextTokenCount);

        // whisper.cpp looks up " " by name when suppressing blank output (suppress_blank is on by
        // default) and throws std::out_of_range, killing the process, if it is missing.
        WriteToken(writer, " ");

        var word = new StringBuilder();
        for (int id = 1; id < TextTokenCount; id++)
        {
            word.Clear();
            if (id % 2 == 1)
            {
                word.Append(' '); // like BPE: most words carry their leading space
            }

            // Bijective base-N numbering over syllables guarantees every token string is unique.
            for (int n = id / 2 + 1; n > 0; n = (n - 1) / Syllables.Length)
            {
                word.Append(Syllables[(n - 1) % Syllables.Length]);
            }

            WriteToken(writer, word.ToString());
        }
    }

    private static readonly string[] Syllables = BuildSyllables();

    private static string[] BuildSyllables()
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var result = new string[consonants.Length * vowels.Length];
        for (int c = 0; c < consonants.Length; c++)
        {
            for (int v = 0; v < vowels.Length; v++)
            {
                result[c * vowels.Length + v] = string.Concat(consonants[c], vowels[v]);
            }
        }

        return result;
    }

    private static void WriteToken(BinaryWriter writer, string token)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(token);
        writer.Write((uint)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>
    /// Shapes are given in ggml order (innermost dimension first). Big matrices are f16 because
    /// the loader derives their expected type from ftype; norms, biases and positional
    /// embeddings are always f32.
    /// </summary>
    private static void WriteTensors(BinaryWriter writer, SplitMix64 rng)
    {
        const int s = State;
        float projection = 1f / MathF.Sqrt(s);
        float widened = 1f / MathF.Sqrt(4 * s);

        // Encoder.
        Tensor(writer, rng, "encoder.positional_embedding", TypeF32, 0.5f, s, AudioContext);
        Tensor(writer, rng, "encoder.conv1.weight", TypeF16, 1f / MathF.Sqrt(3 * MelBands), 3, MelBands, s);
        Tensor(writer, rng, "encoder.conv1.bias", TypeF32, 0.1f, 1, s);
        Tensor(writer, rng, "encoder.conv2.weight", TypeF16, 1f / MathF.Sqrt(3 * s), 3, s, s);
        Tensor(writer, rng, "encoder.conv2.bias", TypeF32, 0.1f, 1, s);
        for (int i = 0; i < AudioLayers; i++)
        {
            Block(writer, rng, $"encoder.blocks.{i}.attn", $"encoder.blocks.{i}.attn_ln", projection);
            Mlp(writer, rng, $"encoder.blocks.{i}", projection, widened);
        }

        Norm(writer, "encoder.ln_post");

        // Decoder.
        Tensor(writer, rng, "decoder.positional_embedding", TypeF32, 1f, s, TextContext);
        TokenEmbedding(writer, rng);
        for (int i = 0; i < TextLayers; i++)
        {
            Block(writer, rng, $"decoder.blocks.{i}.attn", $"decoder.blocks.{i}.attn_ln", projection);
            Block(writer, rng, $"decoder.blocks.{i}.cross_attn", $"decoder.blocks.{i}.cross_attn_ln", projection);
            Mlp(writer, rng, $"decoder.blocks.{i}", projection, widened);
        }

        // Final norm: identity, except that dimension 0 is pinned to ClockGain so it acts as the
        // constant "clock" input that TokenEmbedding relies on.
        WriteHeader(writer, "decoder.ln.weight", TypeF32, State);
        for (int i = 0; i < State; i++)
        {
            writer.Write(i == 0 ? 0f : 1f);
        }

        WriteHeader(writer, "decoder.ln.bias", TypeF32, State);
        for (int i = 0; i < State; i++)
        {
            writer.Write(i == 0 ? ClockGain : 0f);
        }
    }

    // Token 50364 is <|0.00|> in the multilingual layout; ids up to n_vocab - 1 are timestamps
    // in 20 ms steps (1501 of them).
    private const int FirstTimestampToken = 50364;
    private const int TimestampCount = VocabSize - FirstTimestampToken;

    // Tuned by experiment. With random logits alone, whisper.cpp's rule "sample a timestamp when
    // all timestamps together outweigh the best text token" either always fires (no text, no
    // segments) or never does (one 30 s segment of repeated words per window). LogitNoise is the
    // spread of the random part of every logit; the timestamp bias below tips the balance.
    private const float LogitNoise = 1.6f;
    private const float ClockGain = 10f;          // value of the final hidden state's dimension 0
    private const float TimestampBonus = 5f;      // logit boost for <|0.00|> ...
    private const float TimestampDecay = 10f;     // ... falling linearly to Bonus - Decay at <|30.00|>

    /// <summary>
    /// The token embedding doubles as the output projection, so it is where the decoder's habits
    /// are set. Random rows give nonsense words; dimension 0, multiplied by the constant
    /// <see cref="ClockGain"/> from the final norm, adds a deterministic per-token logit bias:
    /// zero for text, and for timestamps a bonus that shrinks with time. Because whisper.cpp only
    /// allows timestamps to move forward, greedy decoding then steps through the window in
    /// short hops, closing a segment every few words, instead of jumping straight to 30 s.
    /// End-of-text gets no bonus: ending windows early only multiplies encoder passes.
    /// </summary>
    private static void TokenEmbedding(BinaryWriter writer, SplitMix64 rng)
    {
        WriteHeader(writer, "decoder.token_embedding.weight", TypeF16, State, VocabSize);

        float noise = LogitNoise / MathF.Sqrt(State); // the normed hidden state has length ~sqrt(State)
        for (int id = 0; id < VocabSize; id++)
        {
            float clock = 0f;
            if (id >= FirstTimestampToken)
            {
                float progress = (id - FirstTimestampToken) / (float)(TimestampCount - 1);
                clock = (TimestampBonus - TimestampDecay * progress) / ClockGain;
            }

            writer.Write(BitConverter.HalfToUInt16Bits((Half)clock));
            for (int d = 1; d < State; d++)
            {
                writer.Write(BitConverter.HalfToUInt16Bits((Half)((float)rng.NextGaussian() * noise)));
            }
        }
    }

    // One attention sub-layer: pre-norm plus q/k/v/out projections (whisper has no key bias).
    private static void Block(BinaryWriter writer, SplitMix64 rng, string attn, string norm, float scale)
    {
        Norm(writer, norm);
        Tensor(writer, rng, attn + ".query.weight", TypeF16, scale, State, State);
        Tensor(writer, rng, attn + ".query.bias", TypeF32, 0.1f, State);
        Tensor(writer, rng, attn + ".key.weight", TypeF16, scale, State, State);
        Tensor(writer, rng, attn + ".value.weight", TypeF16, scale, State, State);
        Tensor(writer, rng, attn + ".value.bias", TypeF32, 0.1f, State);
        Tensor(writer, rng, attn + ".out.weight", TypeF16, scale, State, State);
        Tensor(writer, rng, attn + ".out.bias", TypeF32, 0.1f, State);
    }

    private static void Mlp(BinaryWriter writer, SplitMix64 rng, string block, float inScale, float outScale)
    {
        Norm(writer, block + ".mlp_ln");
        Tensor(writer, rng, block + ".mlp.0.weight", TypeF16, inScale, State, 4 * State);
        Tensor(writer, rng, block + ".mlp.0.bias", TypeF32, 0.1f, 4 * State);
        Tensor(writer, rng, block + ".mlp.2.weight", TypeF16, outScale, 4 * State, State);
        Tensor(writer, rng, block + ".mlp.2.bias", TypeF32, 0.1f, State);
    }

    // Identity layer norms keep activations well scaled without needing trained statistics.
    private static void Norm(BinaryWriter writer, string name)
    {
        WriteHeader(writer, name + ".weight", TypeF32, State);
        for (int i = 0; i < State; i++)
        {
            writer.Write(1f);
        }

        WriteHeader(writer, name + ".bias", TypeF32, State);
        for (int i = 0; i < State; i++)
        {
            writer.Write(0f);
        }
    }

    private static void Tensor(BinaryWriter writer, SplitMix64 rng, string name, int type, float stdDev, params int[] shape)
    {
        WriteHeader(writer, name, type, shape);

        long count = 1;
        foreach (int dim in shape)
        {
            count *= dim;
        }

        for (long i = 0; i < count; i++)
        {
            float value = (float)rng.NextGaussian() * stdDev;
            if (type == TypeF16)
            {
                writer.Write(BitConverter.HalfToUInt16Bits((Half)value));
            }
            else
            {
                writer.Write(value);
            }
        }
    }

    private static void WriteHeader(BinaryWriter writer, string name, int type, params int[] shape)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        writer.Write(shape.Length);
        writer.Write(nameBytes.Length);
        writer.Write(type);
        foreach (int dim in shape)
        {
            writer.Write(dim);
        }

        writer.Write(nameBytes);
    }

    /// <summary>
    /// A fixed, self-contained generator: System.Random's seeded sequence is not guaranteed to be
    /// stable across .NET versions, and the model bytes must be.
    /// </summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        private ulong NextUInt64()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        private double NextUnit() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        // Irwin-Hall (sum of 12 uniforms, minus 6): close enough to a unit normal, and unlike
        // Box-Muller it needs no Log/Cos, whose last bits may differ between platforms' math
        // libraries, so the same seed gives the same file everywhere.
        public double NextGaussian()
        {
            double sum = 0;
            for (int i = 0; i < 12; i++)
            {
                sum += NextUnit();
            }

            return sum - 6.0;
        }
    }
}
