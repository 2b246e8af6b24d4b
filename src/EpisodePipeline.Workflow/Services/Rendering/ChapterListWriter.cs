using System.Text;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// The chapter list YouTube reads from a video description
/// (https://support.google.com/youtube/answer/9884579): one <c>00:00 Title</c> line per chapter, the first at
/// <c>00:00</c>. YouTube shows chapters only when there are at least three, each at least ten seconds long;
/// the list is written as it is either way.
/// </summary>
public static class ChapterListWriter
{
    public static string Write(IReadOnlyList<TimedText> chapters)
    {
        var builder = new StringBuilder(chapters.Count * 48);
        foreach (var chapter in chapters)
        {
            builder.Append(Timecode.Clock(chapter.Start)).Append(' ').Append(RenderText.Line(chapter.Text)).Append('\n');
        }

        return builder.ToString();
    }
}
