namespace EpisodePipeline.Jobs;

/// <summary>The keys of a ProcessEpisode result's <c>stage_seconds</c>, one per stage a job runs, in order.</summary>
public static class StageTimes
{
    public const string Transcribe = "transcribe";
    public const string Enrich = "enrich";
    public const string Render = "render";
}
