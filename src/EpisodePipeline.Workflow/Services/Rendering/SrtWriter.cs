using System.Globalization;
using System.Text;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// SubRip (<c>.srt</c>) captions, as the de facto format is described in the Library of Congress format
/// description (https://www.loc.gov/preservation/digital/formats/fdd/fdd000569.shtml): numbered cues, a
/// timing line <c>hh:mm:ss,ttt --&gt; hh:mm:ss,ttt</c>, the text, a blank line. CRLF line ends, as SubRip wrote them.
/// </summary>
public static class SrtWriter
{
    /// <summary>
    /// One cue per segment, numbered from 1. The text is one line (a blank line would end the cue);
    /// it is not HTML-escaped, because SubRip has no escapes and players show <c>&amp;lt;</c> literally.
    /// </summary>
    public static string Write(IReadOnlyList<TimedText> segments)
    {
        var builder = new StringBuilder(segments.Count * 96);
        for (var i = 0; i < segments.Count; i++)
        {
            var cue = segments[i];
            builder.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append(Timecode.Srt(cue.Start)).Append(" --> ").Append(Timecode.Srt(cue.End)).Append("\r\n")
                .Append(RenderText.Line(cue.Text)).Append("\r\n\r\n");
        }

        return builder.ToString();
    }
}
