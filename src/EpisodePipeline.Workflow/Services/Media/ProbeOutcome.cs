namespace EpisodePipeline.Services.Media;

/// <summary>What probing one file gave: its facts, or why it cannot be read.</summary>
/// <param name="Path">The file as it was passed to the probe.</param>
/// <param name="Info">The facts when the file could be read; null otherwise.</param>
/// <param name="Problem">One sentence a person can act on (plus FFmpeg's last meaningful line) when it could not.</param>
public sealed record ProbeOutcome(string Path, MediaInfo? Info, string? Problem);
