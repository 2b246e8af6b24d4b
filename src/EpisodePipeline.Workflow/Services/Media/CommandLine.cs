namespace EpisodePipeline.Services.Media;

/// <summary>
/// Escaping for a value that a tool wraps in double quotes inside one command-line string, as FFMpegCore does
/// with paths (<c>-i "{path}"</c>). .NET splits that string into argv with the Windows rules on every OS
/// (<see href="https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments">Parsing C
/// command-line arguments</see>): a quote is literal when preceded by an odd number of backslashes, and
/// backslashes count only before a quote.
/// </summary>
public static class CommandLine
{
    /// <summary>
    /// <paramref name="value"/> escaped so that, placed between double quotes, it splits back to itself:
    /// each <c>"</c> becomes <c>\"</c>, the backslashes before it and at the very end are doubled.
    /// </summary>
    public static string EscapeQuoted(string value)
    {
        var escaped = new System.Text.StringBuilder(value.Length + 8);
        var backslashes = 0;
        foreach (var c in value)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                escaped.Append('\\', (backslashes * 2) + 1).Append('"');
            }
            else
            {
                escaped.Append('\\', backslashes).Append(c);
            }

            backslashes = 0;
        }

        // The closing quote follows: backslashes before it must not escape it.
        return escaped.Append('\\', backslashes * 2).ToString();
    }
}
