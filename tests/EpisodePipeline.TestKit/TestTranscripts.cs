using System.Globalization;
using System.Text.Json;

namespace EpisodePipeline.TestKit;

/// <summary>
/// Transcripts the Enrich tests and benchmark start from, written as the Transcribe stage writes
/// <c>transcript.json</c>: a segment every five seconds, about 150 spoken words a minute, every
/// sentence different so a quote occurs exactly once.
/// </summary>
public static class TestTranscripts
{
    private static readonly string[] Topics =
    [
        "local first software", "audio extraction", "speech recognition", "language models",
        "publishing pages", "subtitles and captions", "workstation hardware", "listener questions",
    ];

    /// <summary>The segments of a <paramref name="seconds"/>-long talk as (start, end, text).</summary>
    public static IReadOnlyList<(double Start, double End, string Text)> Segments(double seconds)
    {
        var segments = new List<(double, double, string)>();
        for (var i = 0; i * 5 < seconds; i++)
        {
            var topic = Topics[(int)(i * 5 / Math.Max(60, seconds / Topics.Length)) % Topics.Length];
            var text = string.Create(CultureInfo.InvariantCulture,
                $"In remark {i + 1} the host explains one more detail of {topic} and why it matters today.");
            segments.Add((i * 5.0, Math.Min(seconds, (i * 5.0) + 4.8), text));
        }

        return segments;
    }

    /// <summary>Writes <c>transcript.json</c> for <paramref name="episodeId"/> under <paramref name="dataFolder"/>; returns its path.</summary>
    public static string Write(string dataFolder, string episodeId, double seconds)
    {
        var folder = Path.Combine(dataFolder, "episodes", episodeId);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "transcript.json");
        var transcript = new
        {
            episode_id = episodeId,
            language = "en",
            duration_seconds = seconds,
            fingerprint = "media-and-whisper-settings",
            created_at = DateTimeOffset.UnixEpoch,
            segments = Segments(seconds).Select(s => new { start = s.Start, end = s.End, text = s.Text }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(transcript));
        return path;
    }
}
