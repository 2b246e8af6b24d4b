using System.Text;

namespace EpisodePipeline.Services.Rendering;

/// <summary>Cleans transcript and LLM strings before any format sees them.</summary>
public static class RenderText
{
    /// <summary>
    /// One line: whitespace runs (newlines included) become one space, control characters and lone
    /// surrogates go (XML 1.0 forbids them, and a newline would end a caption cue early).
    /// </summary>
    public static string Line(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    Append(builder, ref space, c);
                    builder.Append(text[++i]);
                }

                continue;
            }

            if (c is '\uFFFE' or '\uFFFF')
            {
                continue;
            }

            Append(builder, ref space, c);
        }

        return builder.ToString();
    }

    /// <summary>Paragraphs separated by blank lines, each cleaned to one <see cref="Line"/>; empty ones dropped.</summary>
    public static IReadOnlyList<string> Paragraphs(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. System.Text.RegularExpressions.Regex.Split(text, @"\r?\n\s*\r?\n").Select(Line).Where(p => p.Length > 0)];

    private static void Append(StringBuilder builder, ref bool space, char c)
    {
        if (space)
        {
            builder.Append(' ');
            space = false;
        }

        builder.Append(c);
    }
}
