namespace EpisodePipeline.Jobs;

/// <summary>Jobs per contract status, taken at one moment from the <see cref="JobIndex"/>; <see cref="Total"/> is their sum.</summary>
public sealed record JobCounts(int Queued, int Running, int Completed, int Failed, int Cancelled)
{
    public int Total => Queued + Running + Completed + Failed + Cancelled;
}
