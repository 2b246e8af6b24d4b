using System.Collections.Frozen;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// Maps Whisper's language codes (ISO 639-1, <c>en</c>) to the ISO 639-2 tags containers carry on audio
/// tracks. 639-2 has two codes for twenty languages: bibliographic (<c>ger</c>, what Matroska writes) and
/// terminologic (<c>deu</c>, what MP4 writes); both match.
/// </summary>
public static class LanguageCodes
{
    // ISO 639-1 → ISO 639-2/T for every language Whisper knows (plus nb), so any configured language can match.
    private static readonly FrozenDictionary<string, string> Terminologic = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["af"] = "afr", ["am"] = "amh", ["ar"] = "ara", ["as"] = "asm", ["az"] = "aze", ["ba"] = "bak", ["be"] = "bel",
        ["bg"] = "bul", ["bn"] = "ben", ["bo"] = "bod", ["br"] = "bre", ["bs"] = "bos", ["ca"] = "cat", ["cs"] = "ces",
        ["cy"] = "cym", ["da"] = "dan", ["de"] = "deu", ["el"] = "ell", ["en"] = "eng", ["es"] = "spa", ["et"] = "est",
        ["eu"] = "eus", ["fa"] = "fas", ["fi"] = "fin", ["fo"] = "fao", ["fr"] = "fra", ["gl"] = "glg", ["gu"] = "guj",
        ["ha"] = "hau", ["he"] = "heb", ["hi"] = "hin", ["hr"] = "hrv", ["ht"] = "hat", ["hu"] = "hun", ["hy"] = "hye",
        ["id"] = "ind", ["is"] = "isl", ["it"] = "ita", ["ja"] = "jpn", ["jv"] = "jav", ["jw"] = "jav", ["ka"] = "kat",
        ["kk"] = "kaz", ["km"] = "khm", ["kn"] = "kan", ["ko"] = "kor", ["la"] = "lat", ["lb"] = "ltz", ["ln"] = "lin",
        ["lo"] = "lao", ["lt"] = "lit", ["lv"] = "lav", ["mg"] = "mlg", ["mi"] = "mri", ["mk"] = "mkd", ["ml"] = "mal",
        ["mn"] = "mon", ["mr"] = "mar", ["ms"] = "msa", ["mt"] = "mlt", ["my"] = "mya", ["nb"] = "nob", ["ne"] = "nep",
        ["nl"] = "nld", ["nn"] = "nno", ["no"] = "nor", ["oc"] = "oci", ["pa"] = "pan", ["pl"] = "pol", ["ps"] = "pus",
        ["pt"] = "por", ["ro"] = "ron", ["ru"] = "rus", ["sa"] = "san", ["sd"] = "snd", ["si"] = "sin", ["sk"] = "slk",
        ["sl"] = "slv", ["sn"] = "sna", ["so"] = "som", ["sq"] = "sqi", ["sr"] = "srp", ["su"] = "sun", ["sv"] = "swe",
        ["sw"] = "swa", ["ta"] = "tam", ["te"] = "tel", ["tg"] = "tgk", ["th"] = "tha", ["tk"] = "tuk", ["tl"] = "tgl",
        ["tr"] = "tur", ["tt"] = "tat", ["uk"] = "ukr", ["ur"] = "urd", ["uz"] = "uzb", ["vi"] = "vie", ["yi"] = "yid",
        ["yo"] = "yor", ["zh"] = "zho",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // The twenty languages whose bibliographic code differs from the terminologic one.
    private static readonly FrozenDictionary<string, string> BibliographicToTerminologic = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["alb"] = "sqi", ["arm"] = "hye", ["baq"] = "eus", ["bur"] = "mya", ["chi"] = "zho", ["cze"] = "ces", ["dut"] = "nld",
        ["fre"] = "fra", ["geo"] = "kat", ["ger"] = "deu", ["gre"] = "ell", ["ice"] = "isl", ["mac"] = "mkd", ["mao"] = "mri",
        ["may"] = "msa", ["per"] = "fas", ["rum"] = "ron", ["slo"] = "slk", ["tib"] = "bod", ["wel"] = "cym",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The ISO 639-2/T code for a two-letter code, a bibliographic or terminologic three-letter code, or a
    /// tag with a region (<c>en-US</c>); null for <c>auto</c>, empty, <c>und</c> and unknown codes.
    /// </summary>
    public static string? ToTerminologic(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var primary = code.Trim().Split('-', '_')[0].ToLowerInvariant();
        return primary.Length switch
        {
            2 => Terminologic.GetValueOrDefault(primary),
            3 when primary is "und" or "mul" or "zxx" or "mis" => null,
            3 => BibliographicToTerminologic.GetValueOrDefault(primary, primary),
            _ => null,
        };
    }

    /// <summary>True when both name the same language, whichever of the three code forms each uses.</summary>
    public static bool SameLanguage(string? a, string? b) =>
        ToTerminologic(a) is { } x && ToTerminologic(b) is { } y && string.Equals(x, y, StringComparison.Ordinal);
}
