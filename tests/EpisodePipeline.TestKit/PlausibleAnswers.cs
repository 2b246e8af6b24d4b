using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EpisodePipeline.TestKit;

/// <summary>
/// Answers a model could give, made from what the request shows: notes on a part read from its
/// <c>[mm:ss]</c> lines (chapters at real line times, quotes copied from lines), combined notes, or
/// the final answer from the transcript or from notes. Valid for the pipeline's rules, so a test or
/// the benchmark can run any transcript length without scripting each call.
/// </summary>
public static partial class PlausibleAnswers
{
    [GeneratedRegex(@"^\[(\d+):(\d{2})\] (.*)$", RegexOptions.Multiline)]
    private static partial Regex TranscriptLine();

    [GeneratedRegex(@"lasts (\d+):(\d{2})")]
    private static partial Regex Lasts();

    public static string For(FakeChatRequest request)
    {
        var lines = TranscriptLine().Matches(request.Material)
            .Select(m => (Time: (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Text: m.Groups[3].Value.Trim()))
            .ToList();
        var notes = request.Material.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var final = request.Requires("title");
        var duration = Lasts().Match(request.System) is { Success: true } m2
            ? (int.Parse(m2.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + int.Parse(m2.Groups[2].Value, CultureInfo.InvariantCulture)
            : lines.Count > 0 ? lines[^1].Time + 5 : 3600;
        var gap = Math.Clamp(duration / 4.0, 1, 60);

        if (lines.Count > 0)
        {
            var chapters = Spread(lines, final ? 0 : lines[0].Time, gap, final ? 3 : 2)
                .Select((l, i) => new { start = Mmss(i == 0 && final ? 0 : l.Time), title = $"Topic at {Mmss(l.Time)}", summary = $"What is said from {Mmss(l.Time)}." })
                .ToList();
            var quotes = lines.Where(l => l.Text.Split(' ').Length >= 4).Take(final ? 3 : 2)
                .Select(l => new { text = l.Text, at = Mmss(l.Time) }).ToList();
            var keywords = Keywords(lines.Select(l => l.Text));
            return final ? Final(chapters, keywords, quotes) : Serialize(new { summary = $"Talk from {Mmss(lines[0].Time)} to {Mmss(lines[^1].Time)}.", chapters, keywords, quotes });
        }

        // From notes: the first chapter and quote of each part.
        var picked = new List<(double Start, string Title, string Summary)>();
        foreach (var note in notes)
        {
            if (note["chapters"] is JsonArray { Count: > 0 } cs && cs[0] is JsonObject c)
            {
                var start = Seconds(c["start"]!.GetValue<string>());
                if (picked.Count == 0 || start - picked[^1].Start >= gap)
                {
                    picked.Add((picked.Count == 0 && final ? 0 : start, c["title"]!.GetValue<string>(), c["summary"]!.GetValue<string>()));
                }
            }
        }

        var noteChapters = picked.Select(p => new { start = Mmss(p.Start), title = p.Title, summary = p.Summary }).ToList();
        var noteQuotes = notes.SelectMany(n => (n["quotes"] as JsonArray ?? []).Take(1))
            .Select(q => new { text = q!["text"]!.GetValue<string>(), at = q["at"]!.GetValue<string>() }).Take(5).ToList();
        var noteKeywords = notes.SelectMany(n => (n["keywords"] as JsonArray ?? []).Select(k => k!.GetValue<string>())).Distinct().Take(10).ToList();
        return final
            ? Final(noteChapters, noteKeywords, noteQuotes)
            : Serialize(new { summary = string.Join(' ', notes.Select(n => n["summary"]!.GetValue<string>())), chapters = noteChapters, keywords = noteKeywords, quotes = noteQuotes });
    }

    private static string Final(object chapters, IReadOnlyList<string> keywords, object quotes) => Serialize(new
    {
        title = "A conversation about local first software",
        description = "Two people talk about media pipelines that run on one workstation.",
        summary = "The episode opens with the topic.\n\nIt goes on with examples.\n\nIt ends with a look ahead.",
        chapters,
        keywords,
        quotes,
    });

    private static List<(int Time, string Text)> Spread(List<(int Time, string Text)> lines, int from, double gap, int count)
    {
        var span = lines[^1].Time - from;
        var picked = new List<(int Time, string Text)> { lines[0] };
        for (var k = 1; k < count; k++)
        {
            var target = from + (span * k / count);
            var line = lines.FirstOrDefault(l => l.Time >= target && l.Time - picked[^1].Time >= gap);
            if (line.Text is not null)
            {
                picked.Add(line);
            }
        }

        return picked;
    }

    // Long words first; a transcript without any (the tiny random-weight model's) still gets its longest words,
    // since a valid answer needs at least one keyword.
    private static List<string> Keywords(IEnumerable<string> texts)
    {
        var words = texts.SelectMany(t => t.Split(' ')).Select(w => w.Trim('.', ',', '?', '!').ToLowerInvariant()).Where(w => w.Length > 0).Distinct().ToList();
        var keywords = words.Where(w => w.Length > 6).Take(6).ToList();
        return keywords.Count > 0 ? keywords : [.. words.OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).Take(3)];
    }

    private static string Mmss(double seconds)
    {
        var s = (int)seconds;
        return string.Create(CultureInfo.InvariantCulture, $"{s / 60:D2}:{s % 60:D2}");
    }

    private static double Seconds(string mmss)
    {
        var p = mmss.Split(':');
        return (int.Parse(p[0], CultureInfo.InvariantCulture) * 60) + int.Parse(p[1], CultureInfo.InvariantCulture);
    }

    private static string Serialize(object value) => JsonSerializer.Serialize(value);
}
