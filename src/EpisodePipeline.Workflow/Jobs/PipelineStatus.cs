using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>
/// The orchestration's custom status: what a job is doing now. Set after every step and every
/// finished segment; the job API reads it back.
/// </summary>
public sealed record PipelineStatus
{
    [JsonPropertyName("stage")] public required string Stage { get; init; }
    [JsonPropertyName("progress")] public double Progress { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("eta_seconds")] public int? EtaSeconds { get; init; }
    [JsonPropertyName("segments_total")] public int SegmentsTotal { get; init; }
    [JsonPropertyName("segments_done")] public int SegmentsDone { get; init; }
    [JsonPropertyName("reused")] public bool Reused { get; init; }
}

/// <summary>Stage names and progress bands of the job contract.</summary>
public static class JobStages
{
    public const string Queued = "queued";
    public const string Starting = "starting";
    public const string Transcribing = "transcribing";
    public const string Completed = "completed";

    public const double StartingProgress = 5;
    public const double TranscribingFrom = 10;
    public const double TranscribingTo = 40;

    /// <summary>Position inside a band after <paramref name="done"/> of <paramref name="total"/> units of work.</summary>
    public static double InBand(double from, double to, int done, int total) =>
        total <= 0 ? from : Math.Round(from + ((to - from) * Math.Clamp(done, 0, total) / total), 1);

    /// <summary>
    /// Seconds left, assuming the remaining units take as long as the finished ones did on average;
    /// null until one unit has finished. Uses orchestration time, so it is replay-safe.
    /// </summary>
    public static int? EtaSeconds(DateTime startedAt, DateTime now, int done, int total)
    {
        if (done <= 0 || total <= 0)
        {
            return null;
        }

        var perUnit = Math.Max(0, (now - startedAt).TotalSeconds) / done;
        return (int)Math.Ceiling(perUnit * Math.Max(0, total - done));
    }
}
