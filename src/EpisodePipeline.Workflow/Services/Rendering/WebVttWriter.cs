using System.Globalization;
using System.Text;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// WebVTT files, as W3C "WebVTT: The Web Video Text Tracks Format" (https://www.w3.org/TR/webvtt1/) defines them:
/// the <c>WEBVTT</c> signature, then cues of an identifier, a timing line <c>start --&gt; end</c> and the payload.
/// Used for the player's captions track and its <c>chapters</c> track.
/// </summary>
public static class WebVttWriter
{
    /// <summary>One cue per segment; identifiers <c>1</c>, <c>2</c>, … match the segment's position.</summary>
    public static string Captions(IReadOnlyList<TimedText> segments) => Write(segments, "");

    /// <summary>A chapters track (<c>&lt;track kind="chapters"&gt;</c>): one cue per chapter, its title as the text.</summary>
    public static string Chapters(IReadOnlyList<TimedText> chapters) => Write(chapters, "chapter-");

    /// <summary>
    /// Cue text escaped as §4.2.2 requires: <c>&amp;</c> and <c>&lt;</c> would start a character reference or a
    /// tag (<c>&lt;b&gt;</c>, <c>&lt;c&gt;</c>), so they become <c>&amp;amp;</c> and <c>&amp;lt;</c>; <c>&gt;</c> is escaped
    /// too, so the text can never contain the <c>--&gt;</c> that ends a timing line. Newlines are gone already
    /// (a blank line would end the cue).
    /// </summary>
    public static string EscapeCueText(string text) =>
        RenderText.Line(text).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Write(IReadOnlyList<TimedText> cues, string idPrefix)
    {
        var builder = new StringBuilder("WEBVTT\n", 64 + (cues.Count * 96));
        for (var i = 0; i < cues.Count; i++)
        {
            var cue = cues[i];
            builder.Append('\n')
                .Append(idPrefix).Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append(Timecode.Vtt(cue.Start)).Append(" --> ").Append(Timecode.Vtt(cue.End)).Append('\n')
                .Append(EscapeCueText(cue.Text)).Append('\n');
        }

        return builder.ToString();
    }
}
