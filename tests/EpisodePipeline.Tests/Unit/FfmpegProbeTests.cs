using EpisodePipeline.Services.Media;
using EpisodePipeline.TestKit;
using EpisodePipeline.Tests.Support;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>
/// The batched probe (many files per ffmpeg run) against ffprobe's JSON for the same file: every fact discovery
/// keeps must be the same, for every kind of media the test kit makes.
/// </summary>
public class FfmpegProbeTests : IDisposable
{
    private readonly TestFolders _folders = new();

    private static readonly string[] Kinds = [.. OddMedia.CommonExtensions.Select(e => "format" + e), "two-languages", "12-channels", "5.1", "late-audio", "no-audio", "speech-video"];

    private static async Task<string> MakeAsync(string kind) => kind switch
    {
        _ when kind.StartsWith("format", StringComparison.Ordinal) => await OddMedia.SpeechInFormatAsync(kind["format".Length..]),
        "two-languages" => await OddMedia.TwoLanguageVideoAsync(),
        "12-channels" => await OddMedia.TwelveChannelsWithoutLayoutAsync(),
        "5.1" => await OddMedia.SurroundWavAsync(),
        "late-audio" => await OddMedia.LateAudioVideoAsync(),
        "no-audio" => await OddMedia.VideoWithoutAudioAsync(),
        "speech-video" => await TestMedia.SpeechVideoAsync(30),
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    [Fact]
    public async Task ProbeMany_EveryKind_SaysExactlyWhatFfprobeSays()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var files = new List<string>();
        foreach (var kind in Kinds)
        {
            var made = await MakeAsync(kind);
            files.Add(OddMedia.CopyAs(made, _folders.Media, kind + Path.GetExtension(made)));
        }

        var probe = new FfmpegProbe(parallelism: 2);
        var batched = await probe.ProbeManyAsync(files, timeout.Token);

        Assert.Equal(files, batched.Select(o => o.Path));
        // Every kind was described by the batch itself, not handed to ffprobe.
        Assert.Equal(0, probe.SingleFileRuns);
        for (var i = 0; i < files.Count; i++)
        {
            var single = await probe.ProbeAsync(files[i], timeout.Token);
            var many = batched[i].Info;
            Assert.True(many is not null, $"{files[i]}: {batched[i].Problem}");
            Assert.Equal(single.Format, many.Format);
            Assert.Equal(single.HasVideo, many.HasVideo);
            AssertClose(single.DurationSeconds, many.DurationSeconds, files[i]);
            Assert.Equal(single.AudioTracks.Count, many.AudioTracks.Count);
            foreach (var (expected, actual) in single.AudioTracks.Zip(many.AudioTracks))
            {
                Assert.Equal(expected with { StartSeconds = 0 }, actual with { StartSeconds = 0 });
                AssertClose(expected.StartSeconds, actual.StartSeconds, files[i]);
            }
        }
    }

    [Fact]
    public async Task ProbeMany_KnownFacts_OfTheOddKinds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string[] kinds = ["two-languages", "12-channels", "5.1", "late-audio", "no-audio"];
        var files = new List<string>();
        foreach (var kind in kinds)
        {
            files.Add(await MakeAsync(kind));
        }

        var infos = (await new FfmpegProbe().ProbeManyAsync(files, timeout.Token)).Select(o => o.Info!).ToList();

        var (twoLanguages, twelve, surround, late, silent) = (infos[0], infos[1], infos[2], infos[3], infos[4]);
        Assert.Equal([("ger", true), ("eng", false)], twoLanguages.AudioTracks.Select(t => (t.Language, t.IsDefault)));
        Assert.Equal(9, twoLanguages.DurationSeconds!.Value, 0.1);
        Assert.Equal((12, (string?)null), (twelve.AudioTracks[0].Channels, twelve.AudioTracks[0].ChannelLayout));
        Assert.Equal((6, "5.1"), (surround.AudioTracks[0].Channels, surround.AudioTracks[0].ChannelLayout));
        Assert.Equal(4.979, late.AudioTracks[0].StartSeconds, 0.01);
        Assert.True(silent.HasVideo);
        Assert.Empty(silent.AudioTracks);
    }

    [Fact]
    public async Task ProbeMany_BrokenFilesAmongGoodOnes_EachGetsItsOwnOutcomeInOrder()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var good = await OddMedia.SpeechInFormatAsync(".mp3");
        string[] files =
        [
            good, await OddMedia.EmptyFileAsync(".mp3"), good, await OddMedia.NotMediaAsync(".mp4"), good,
            await OddMedia.Mp4WithoutMoovAsync(), await OddMedia.RandomBytesAsync(".mp3"), good, await OddMedia.Mp4WithZeroedHeaderAsync(), good,
            Path.Combine(_folders.Media, "removed since the scan.mp3"), good,
        ];

        var outcomes = await new FfmpegProbe(parallelism: 1).ProbeManyAsync(files, timeout.Token);

        Assert.Equal(files, outcomes.Select(o => o.Path));
        Assert.All(new[] { 0, 2, 4, 7, 9, 11 }, i => Assert.Equal(4.0, outcomes[i].Info!.DurationSeconds!.Value, 0.2));
        Assert.Contains("empty", outcomes[1].Problem, StringComparison.Ordinal);
        Assert.Contains("not a media file", outcomes[3].Problem, StringComparison.Ordinal);
        Assert.Contains("damaged or incomplete", outcomes[5].Problem, StringComparison.Ordinal);
        Assert.Contains("moov atom not found", outcomes[5].Problem, StringComparison.Ordinal);
        Assert.Contains("not a media file", outcomes[6].Problem, StringComparison.Ordinal);
        Assert.Contains("damaged", outcomes[8].Problem, StringComparison.Ordinal);
        Assert.Contains("cannot be opened", outcomes[10].Problem, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", outcomes[10].Problem, StringComparison.Ordinal);
        Assert.All(outcomes.Where(o => o.Problem is not null), o => Assert.DoesNotContain("ffmpeg version", o.Problem, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Probe_AwkwardNames_AreReadByBothWays()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clip = await OddMedia.SpeechInFormatAsync(".mp3");
        var files = OddMedia.AwkwardNames.Append("part1:intro.mp3").Select(n => OddMedia.CopyAs(clip, _folders.Media, n)).ToList();
        var probe = new FfmpegProbe();

        var batched = await probe.ProbeManyAsync(files, timeout.Token);

        Assert.All(batched, o => Assert.True(o.Info is { AudioTracks.Count: 1 }, $"{o.Path}: {o.Problem}"));
        Assert.Equal(0, probe.SingleFileRuns);
        Assert.Single((await probe.ProbeAsync(files[0], timeout.Token)).AudioTracks);
    }

    private static void AssertClose(double? expected, double? actual, string file)
    {
        Assert.True(expected is null == actual is null, $"{file}: {expected} vs {actual}");
        if (expected is { } e)
        {
            // ffprobe prints microseconds; ffmpeg's text keeps six significant digits (and centiseconds from 10,000 s).
            Assert.True(Math.Abs(e - actual!.Value) <= Math.Max(1e-5 * Math.Abs(e), 1e-6), $"{file}: {e} vs {actual}");
        }
    }

    public void Dispose() => _folders.Dispose();
}
