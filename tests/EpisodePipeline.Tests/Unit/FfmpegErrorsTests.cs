using EpisodePipeline.Services.Media;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

public class FfmpegErrorsTests
{
    // What FFmpeg 5.1 prints for a 12-channel WAV without a layout and -ac 1, banner included (no -hide_banner).
    private const string Rematrix = """
        ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers
          built with gcc 12 (Debian 12.2.0-14+deb12u1)
          configuration: --prefix=/usr --extra-version=0+deb12u1 --toolchain=hardened --enable-gpl
          libavutil      57. 28.100 / 57. 28.100
          libavcodec     59. 37.100 / 59. 37.100
        Input #0, wav, from 'file:/tmp/12.wav':
          Duration: 00:00:03.38, bitrate: 3072 kb/s
          Stream #0:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 16000 Hz, 12 channels, s16, 3072 kb/s
        Stream mapping:
          Stream #0:0 -> #0:0 (pcm_s16le (native) -> pcm_s16le (native))
        Press [q] to stop, [?] for help
        [auto_aresample_0 @ 0x55af83778f00] [SWR @ 0x55af837790c0] Rematrix is needed between 12 channels and mono but there is not enough information to do it
        [auto_aresample_0 @ 0x55af83778f00] Failed to configure output pad on auto_aresample_0
        Error reinitializing filters!
        Failed to inject frame into filter network: Invalid argument
        Error while processing the decoded data for stream #0:0
        Conversion failed!
        """;

    [Fact]
    public void LastMeaningfulLine_FailedRun_SkipsBannerGenericTailAndComponentPrefixes() =>
        Assert.Equal(
            "Rematrix is needed between 12 channels and mono but there is not enough information to do it",
            FfmpegErrors.LastMeaningfulLine(Rematrix));

    [Fact]
    public void LastMeaningfulLine_FfprobeOnNonMedia_PrefersTheSpecificLineToABareErrno() =>
        Assert.Equal(
            "Failed to read frame size: Could not seek to 1026.",
            FfmpegErrors.LastMeaningfulLine("[mp3 @ 0x5581] Failed to read frame size: Could not seek to 1026.\nfile:/m/notes.mp3: Invalid argument\n", "file:/m/notes.mp3"));

    [Fact]
    public void LastMeaningfulLine_OnlyAnErrno_KeepsItWithoutTheInputUrl() =>
        Assert.Equal(
            "Invalid data found when processing input",
            FfmpegErrors.LastMeaningfulLine("file:/m/Ep 1 \"Pilot\": x.wav: Invalid data found when processing input\n", "file:/m/Ep 1 \"Pilot\": x.wav"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n\r\n")]
    [InlineData("ffmpeg version 5.1.9 Copyright (c) 2000-2026 the FFmpeg developers\n  built with gcc 12\n  configuration: --prefix=/usr\nConversion failed!\n")]
    public void LastMeaningfulLine_NothingSaid_IsNull(string? stderr) => Assert.Null(FfmpegErrors.LastMeaningfulLine(stderr));

    [Fact]
    public void LastMeaningfulLine_WindowsLineEnds_AreTrimmed() =>
        Assert.Equal("moov atom not found", FfmpegErrors.LastMeaningfulLine("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] moov atom not found\r\nConversion failed!\r\n"));
}
