using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Catalog;

/// <summary>
/// Stable, URL-safe episode ids derived from a media file's path relative to its input folder:
/// <c>newsroom/2024/BB Test_10mins.mp4</c> → <c>newsroom-2024-bb-test_10mins</c>.
/// The id alphabet has no dot or slash, so an id can never name a path outside the data folder.
/// </summary>
public static partial class EpisodeIds
{
    public const int MaxLength = 120;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,119}$")]
    private static partial Regex ValidPattern();

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex Separators();

    public static bool IsValid(string? id) => id is not null && ValidPattern().IsMatch(id);

    /// <summary>Derives the id of <paramref name="relativePath"/> (separators may be / or \).</summary>
    public static string FromRelativePath(string relativePath)
    {
        var withoutExtension = Path.ChangeExtension(relativePath.Replace('\\', '/'), null) ?? relativePath;
        var slug = Separators().Replace(withoutExtension.ToLowerInvariant(), "-").Trim('-', '_');
        if (slug.Length == 0)
        {
            slug = "episode";
        }

        if (slug.Length > MaxLength)
        {
            // Keep long ids unique: a cut slug plus a short hash of the whole path.
            slug = $"{slug[..(MaxLength - 9)].TrimEnd('-', '_')}-{ShortHash(relativePath)}";
        }

        return slug;
    }

    /// <summary>Eight hex characters that tell two colliding slugs apart deterministically.</summary>
    public static string ShortHash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];
}
