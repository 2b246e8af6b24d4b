namespace EpisodePipeline.Services.Enrich;

/// <summary>Where a quote occurs in the transcript: its time span and how many words differ.</summary>
public sealed record QuoteMatch(double Start, double End, int Differences);
