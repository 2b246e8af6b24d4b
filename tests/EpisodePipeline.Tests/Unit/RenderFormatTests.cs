using System.Text.Json;
using System.Text.RegularExpressions;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Rendering;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The pure writers: WebVTT, SRT, JSON Chapters 1.2.0, the podcast JSON transcript, YouTube's chapter list.</summary>
public class RenderFormatTests
{
    private static readonly IReadOnlyList<TimedText> Segments = TimedText.FromTranscript(
    [
        new TranscriptSegment(0, 2.5, "Hello there."),
        new TranscriptSegment(3661.0005, 3662.25, "An hour\nlater & <b>bold</b> --> arrow"),
        new TranscriptSegment(2.5, 2.5, "zero length"),
        new TranscriptSegment(4, 5, "   "),
    ]);

    [Theory]
    [InlineData(0, "00:00:00.000", "00:00:00,000", "00:00")]
    [InlineData(61.5, "00:01:01.500", "00:01:01,500", "01:01")]
    [InlineData(3661.0005, "01:01:01.001", "01:01:01,001", "1:01:01")]
    [InlineData(-3, "00:00:00.000", "00:00:00,000", "00:00")]
    public void Timecode_WritesEachFormatsNotation(double seconds, string vtt, string srt, string clock) =>
        Assert.Equal((vtt, srt, clock), (Timecode.Vtt(seconds), Timecode.Srt(seconds), Timecode.Clock(seconds)));

    [Fact]
    public void FromTranscript_OrdersCleansDropsEmptyAndGivesZeroLengthSegmentsAnEnd()
    {
        Assert.Equal(["Hello there.", "zero length", "An hour later & <b>bold</b> --> arrow"], Segments.Select(s => s.Text));
        Assert.All(Segments, s => Assert.True(s.End > s.Start));
    }

    [Fact]
    public void WebVtt_HasSignatureCuesInOrderAndEscapedText()
    {
        var vtt = WebVttWriter.Captions(Segments);

        Assert.StartsWith("WEBVTT\n\n", vtt, StringComparison.Ordinal);
        var cues = Regex.Matches(vtt, @"(?m)^(\d+)\n(\S+) --> (\S+)\n(.+)\n").ToList();
        Assert.Equal(3, cues.Count);
        Assert.Equal(("3", "01:01:01.001", "01:01:02.250"), (cues[2].Groups[1].Value, cues[2].Groups[2].Value, cues[2].Groups[3].Value));
        Assert.Equal("An hour later &amp; &lt;b&gt;bold&lt;/b&gt; --&gt; arrow", cues[2].Groups[4].Value);
        Assert.Equal(3, Regex.Count(vtt, " --> "));
    }

    [Fact]
    public void WebVttChapters_OneCuePerChapterEndingWhereTheNextStarts()
    {
        var chapters = TimedText.FromChapters([new Chapter(30, "Second", ""), new Chapter(2, "First", "intro"), new Chapter(900, "Past the end", "")], 60);

        var vtt = WebVttWriter.Chapters(chapters);

        Assert.Equal("WEBVTT\n\nchapter-1\n00:00:00.000 --> 00:00:30.000\nFirst\n\nchapter-2\n00:00:30.000 --> 00:01:00.000\nSecond\n", vtt);
        Assert.Equal("intro", chapters[0].Detail);
    }

    [Fact]
    public void Srt_NumbersCuesWithCommaTimesAndBlankLines()
    {
        var srt = SrtWriter.Write(Segments);

        Assert.StartsWith("1\r\n00:00:00,000 --> 00:00:02,500\r\nHello there.\r\n\r\n2\r\n", srt, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(srt, @"(?m)^\d+\r\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\r\n[^\r\n]+\r\n\r\n"));
    }

    [Fact]
    public void PodcastChapters_FollowsJsonChapters120FieldList()
    {
        var chapters = TimedText.FromChapters([new Chapter(0, "Intro", ""), new Chapter(12.3456, "Main", "")], 40);

        using var json = JsonDocument.Parse(PodcastChaptersWriter.Write(chapters, "Episode", "Site", "One line", "media.mp4"));

        var root = json.RootElement;
        Assert.Equal("1.2.0", root.GetProperty("version").GetString());
        Assert.Subset(new HashSet<string> { "version", "chapters", "author", "title", "podcastName", "description", "fileName", "waypoints" },
            root.EnumerateObject().Select(p => p.Name).ToHashSet());
        var list = root.GetProperty("chapters").EnumerateArray().ToList();
        Assert.Equal([0, 12.346], list.Select(c => c.GetProperty("startTime").GetDouble()));
        Assert.Equal([12.346, 40], list.Select(c => c.GetProperty("endTime").GetDouble()));
        Assert.All(list, c => Assert.Subset(new HashSet<string> { "startTime", "title", "img", "url", "toc", "endTime", "location" },
            c.EnumerateObject().Select(p => p.Name).ToHashSet()));
        Assert.All(list, c => Assert.Equal(JsonValueKind.Number, c.GetProperty("startTime").ValueKind));
    }

    [Fact]
    public void PodcastTranscript_HasVersionAndSegmentsOfStartEndBody()
    {
        using var json = JsonDocument.Parse(PodcastTranscriptWriter.Write(Segments));

        Assert.Equal("1.0.0", json.RootElement.GetProperty("version").GetString());
        var first = json.RootElement.GetProperty("segments")[0];
        Assert.Equal((0.0, 2.5, "Hello there."), (first.GetProperty("startTime").GetDouble(), first.GetProperty("endTime").GetDouble(), first.GetProperty("body").GetString()));
        Assert.Equal(3, json.RootElement.GetProperty("segments").GetArrayLength());
    }

    [Fact]
    public void ChapterList_IsYouTubeLinesFromZero()
    {
        var chapters = TimedText.FromChapters([new Chapter(0, "Intro", ""), new Chapter(75, "Line\nbreak", ""), new Chapter(3725, "Late", "")], 4000);

        Assert.Equal("00:00 Intro\n01:15 Line break\n1:02:05 Late\n", ChapterListWriter.Write(chapters));
    }
}
