using System.Globalization;

namespace EpisodePipeline.Services.Rendering;

/// <summary>Seconds as the clock notations of the caption and chapter formats.</summary>
public static class Timecode
{
    /// <summary>WebVTT timestamp <c>hh:mm:ss.ttt</c> (W3C WebVTT §4.5 "WebVTT timestamp"; hours always written).</summary>
    public static string Vtt(double seconds) => Format(seconds, '.');

    /// <summary>SubRip timestamp <c>hh:mm:ss,ttt</c>.</summary>
    public static string Srt(double seconds) => Format(seconds, ',');

    /// <summary>YouTube's chapter notation: <c>m:ss</c> with two-digit minutes under an hour (<c>00:00</c>, <c>12:05</c>), <c>h:mm:ss</c> from an hour on.</summary>
    public static string Clock(double seconds)
    {
        var total = (long)Math.Floor(Math.Max(0, seconds));
        var (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:D2}:{s:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{m:D2}:{s:D2}");
    }

    /// <summary>Whole milliseconds, never negative: every format here counts in them.</summary>
    public static long Milliseconds(double seconds) => (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);

    private static string Format(double seconds, char separator)
    {
        var ms = Milliseconds(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:D2}:{ms / 60_000 % 60:D2}:{ms / 1000 % 60:D2}{separator}{ms % 1000:D3}");
    }
}
