using System.Globalization;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// The <c>[mm:ss]</c> times the model reads and writes. Minutes are not wrapped into hours
/// (<c>75:05</c>), so one simple form covers every episode; models copy it more reliably than
/// they do arithmetic on seconds.
/// </summary>
public static class Timecode
{
    public static string Format(double seconds)
    {
        var whole = (long)Math.Floor(Math.Max(0, seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{whole / 60:D2}:{whole % 60:D2}");
    }

    /// <summary>Reads <c>mm:ss</c>, <c>h:mm:ss</c> or <c>[mm:ss]</c>; false for anything else.</summary>
    public static bool TryParse(string? text, out double seconds)
    {
        seconds = 0;
        var parts = (text ?? "").Trim().Trim('[', ']').Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }

        double total = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (i > 0 && value >= 60))
            {
                return false;
            }

            total = (total * 60) + value;
        }

        seconds = total;
        return true;
    }
}
