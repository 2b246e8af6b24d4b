namespace EpisodePipeline.Services.Media;

/// <summary>Reads facts about a media file without decoding it.</summary>
public interface IMediaProbe
{
    /// <summary>
    /// The container's streams and declared duration. Throws <see cref="MediaUnreadableException"/>
    /// when the file is empty, not media, or damaged beyond reading.
    /// </summary>
    Task<MediaInfo> ProbeAsync(string mediaPath, CancellationToken cancellationToken);

    /// <summary>
    /// Probes many files, one outcome per path in the same order; an unreadable file is an outcome, not an exception.
    /// Implementations may probe several files per tool run; the default probes them one by one.
    /// </summary>
    async Task<IReadOnlyList<ProbeOutcome>> ProbeManyAsync(IReadOnlyList<string> mediaPaths, CancellationToken cancellationToken)
    {
        var outcomes = new List<ProbeOutcome>(mediaPaths.Count);
        foreach (var path in mediaPaths)
        {
            try
            {
                outcomes.Add(new ProbeOutcome(path, await ProbeAsync(path, cancellationToken), null));
            }
            catch (MediaUnreadableException ex)
            {
                outcomes.Add(new ProbeOutcome(path, null, ex.Message));
            }
        }

        return outcomes;
    }
}
