using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace EpisodePipeline.Http;

/// <summary>
/// The <c>cursor</c> of <c>GET /async/jobs</c>: the position of the last job on a page (creation time and id),
/// base64url-encoded. A position, not a job: a cursor stays valid when that job is purged.
/// </summary>
internal static class JobCursor
{
    public static string Format((DateTimeOffset CreatedAt, string JobId) position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{position.CreatedAt.UtcTicks}|{position.JobId}")));

    public static bool TryParse(string text, out (DateTimeOffset CreatedAt, string JobId) position)
    {
        position = default;
        if (text.Length > 512 || !Base64Url.IsValid(text))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        var bar = decoded.IndexOf('|', StringComparison.Ordinal);
        if (bar < 1
            || !long.TryParse(decoded.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || bar == decoded.Length - 1)
        {
            return false;
        }

        position = (new DateTimeOffset(ticks, TimeSpan.Zero), decoded[(bar + 1)..]);
        return true;
    }
}
