using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.TestKit;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The extractor on its own, with real FFmpeg and the test kit's odd media (no Whisper, no orchestration).</summary>
public class FfmpegAudioExtractorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("episodepipeline-extract-").FullName;
    private readonly FfmpegAudioExtractor _extractor = new();

    private string Wav => Path.Combine(_folder, "out", "audio.wav");

    public static TheoryData<string> AwkwardNames() => [.. OddMedia.AwkwardNames];

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task ExtractWav_AnyFileName_ReachesFfmpegIntact(string name)
    {
        var media = OddMedia.CopyAs(await OddMedia.SpeechInFormatAsync(".mp3"), Path.Combine(_folder, "in"), name);

        var audio = await _extractor.ExtractWavAsync(media, 0, Wav, CancellationToken.None);

        Assert.Equal(4.04, audio.DecodedSeconds, 0.05);
        Assert.Equal(audio.DecodedSeconds, WavFile.DurationSeconds(Wav), 3);
        Assert.Null(audio.TruncationWarning());
    }

    [Theory]
    [InlineData(0, 6.0)]
    [InlineData(1, 9.0)]
    public async Task ExtractWav_TrackOfTwoLanguageMkv_DecodesThatTrackAgainstItsOwnLength(int track, double seconds)
    {
        var audio = await _extractor.ExtractWavAsync(await OddMedia.TwoLanguageVideoAsync(), track, Wav, CancellationToken.None);

        Assert.Equal(seconds, audio.DecodedSeconds, 0.1);
        Assert.Equal(seconds, audio.DeclaredSeconds!.Value, 0.1);
        Assert.Null(audio.TruncationWarning());
    }

    [Fact]
    public async Task ExtractWav_AudioFiveSecondsLate_PadsToTheMediaTimeline()
    {
        var audio = await _extractor.ExtractWavAsync(await OddMedia.LateAudioVideoAsync(5), 0, Wav, CancellationToken.None);

        Assert.Equal(4.98, audio.StartSeconds, 0.05);
        Assert.Equal(audio.DeclaredSeconds!.Value, audio.DecodedSeconds, 0.1);
        Assert.True(WavFile.ReadSamples(Wav, 0, 4.9).All(s => s == 0));
        Assert.True(WavFile.ReadSamples(Wav, 5, audio.DecodedSeconds).Max(Math.Abs) > 0.05f);
    }

    [Fact]
    public async Task ExtractWav_FiveOneSurround_DownmixesTheCentreSpeech()
    {
        var audio = await _extractor.ExtractWavAsync(await OddMedia.SurroundWavAsync(), 0, Wav, CancellationToken.None);

        Assert.Equal(4.04, audio.DecodedSeconds, 0.05);
        Assert.True(WavFile.ReadSamples(Wav, 0, audio.DecodedSeconds).Max(Math.Abs) > 0.05f);
    }

    [Fact]
    public async Task ExtractWav_Mp3CutInHalf_DeclaredAndDecodedDisagree()
    {
        var audio = await _extractor.ExtractWavAsync(await OddMedia.TruncatedMp3Async(), 0, Wav, CancellationToken.None);

        Assert.Equal("media decodes to 10.0 of 20.1 s; the file may be truncated", audio.TruncationWarning());
    }

    [Fact]
    public async Task VideoWithoutAudio_ExtractionSaysSo()
    {
        var media = await OddMedia.VideoWithoutAudioAsync();

        var error = await Assert.ThrowsAsync<MediaUnreadableException>(() => _extractor.ExtractWavAsync(media, 0, Wav, CancellationToken.None));
        Assert.Equal($"'{Path.GetFileName(media)}' has no audio track 0, so there is nothing to transcribe.", error.Message);
    }

    [Theory]
    [InlineData(".mp3")]
    [InlineData(".mp4")]
    [InlineData(".wav")]
    public async Task EmptyFile_UnreadableWithFfmpegsLineAndNoBanner(string extension)
    {
        var media = OddMedia.CopyAs(await OddMedia.EmptyFileAsync(extension), _folder, $"Ep 1 \"Pilot\"{extension}");

        var error = await Assert.ThrowsAsync<MediaUnreadableException>(() => _extractor.ExtractWavAsync(media, 0, Wav, CancellationToken.None));

        Assert.StartsWith($"'Ep 1 \"Pilot\"{extension}' could not be read as media; the file may be damaged, incomplete or not media at all. FFmpeg: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("version", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_folder, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ExtractWav_UndecodableMp3_FailsAndLeavesNeitherWavNorTempFile()
    {
        var media = await OddMedia.RandomBytesAsync(".mp3");

        var error = await Assert.ThrowsAsync<MediaUnreadableException>(() => _extractor.ExtractWavAsync(media, 0, Wav, CancellationToken.None));

        Assert.Contains("FFmpeg: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(Wav)!));
    }

    [Fact]
    public async Task ExtractWav_Cancelled_KillsFfmpegAndLeavesNoTempFile()
    {
        var media = await OddMedia.SilenceThenSpeechAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(Wav)!);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _extractor.ExtractWavAsync(media, 0, Wav, cts.Token));

        Assert.DoesNotContain(Directory.EnumerateFiles(Path.GetDirectoryName(Wav)!), f => AtomicFile.IsTempFile(Path.GetFileName(f)) || f == Wav);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
