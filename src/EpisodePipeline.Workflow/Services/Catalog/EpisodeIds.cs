using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EpisodePipeline.Services.Catalog;

/// <summary>
/// Stable, URL-safe episode ids derived from a media file's path relative to its input folder:
/// <c>newsroom/2024/BB Test_10mins.mp4</c> → <c>newsroom-2024-bb-test_10mins</c>, <c>Épisode spécial.mp3</c> →
/// <c>episode-special</c>. Letters are transliterated to ASCII where there is a form (accents dropped, ß → ss,
/// æ → ae, ø → o, ł → l …); a name with letters that have none (Cyrillic, Chinese …) keeps what is ASCII and gets a
/// short hash of the path, so different names stay different ids. The id alphabet has no dot or slash, so an id
/// can never name a path outside the data folder.
/// </summary>
public static partial class EpisodeIds
{
    public const int MaxLength = 120;

    // Latin letters that Unicode does not decompose into a base letter and a mark.
    private static readonly Dictionary<char, string> Letters = new()
    {
        ['ß'] = "ss", ['ẞ'] = "ss", ['æ'] = "ae", ['Æ'] = "ae", ['ø'] = "o", ['Ø'] = "o", ['ł'] = "l", ['Ł'] = "l",
        ['đ'] = "d", ['Đ'] = "d", ['ð'] = "d", ['Ð'] = "d", ['þ'] = "th", ['Þ'] = "th", ['œ'] = "oe", ['Œ'] = "oe",
        ['ı'] = "i", ['ħ'] = "h", ['Ħ'] = "h", ['ŋ'] = "n", ['Ŋ'] = "n", ['ŧ'] = "t", ['Ŧ'] = "t", ['ĸ'] = "k",
        ['ſ'] = "s", ['ƒ'] = "f", ['ɐ'] = "a", ['ə'] = "e", ['Ə'] = "e",
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,119}$")]
    private static partial Regex ValidPattern();

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex Separators();

    public static bool IsValid(string? id) => id is not null && ValidPattern().IsMatch(id);

    /// <summary>Derives the id of <paramref name="relativePath"/> (separators may be / or \).</summary>
    public static string FromRelativePath(string relativePath)
    {
        var withoutExtension = Path.ChangeExtension(relativePath.Replace('\\', '/'), null) ?? relativePath;
        var (ascii, lostLetters) = ToAscii(withoutExtension);
        var slug = Separators().Replace(ascii.ToLowerInvariant(), "-").Trim('-', '_');
        if (lostLetters)
        {
            // Letters without an ASCII form would otherwise vanish, and "Выпуск 1" and "Эпизод 1" both become "1".
            slug = slug.Length == 0 ? $"episode-{ShortHash(relativePath)}" : $"{slug}-{ShortHash(relativePath)}";
        }
        else if (slug.Length == 0)
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

    /// <summary>ASCII letters for what has them: compatibility forms (ﬁ, ², full-width), accents dropped, the table above.</summary>
    private static (string Ascii, bool LostLetters) ToAscii(string text)
    {
        var builder = new StringBuilder(text.Length);
        var lost = false;
        foreach (var rune in text.Normalize(NormalizationForm.FormKD).EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                builder.Append((char)rune.Value);
            }
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                // The accent of a decomposed letter.
            }
            else if (rune.IsBmp && Letters.TryGetValue((char)rune.Value, out var replacement))
            {
                builder.Append(replacement);
            }
            else
            {
                lost |= Rune.IsLetterOrDigit(rune);
                builder.Append(' ');
            }
        }

        return (builder.ToString(), lost);
    }
}
