namespace EpisodePipeline.Services.Media;

/// <summary>Reads facts about a media file without decoding it.</summary>
public interface IMediaProbe
{
    /// <summary>
    /// The container's streams and declared duration. Throws <see cref="MediaUnreadableException"/>
    /// when the file is empty, not media, or damaged beyond reading.
    /// </summary>
    Task<MediaInfo> ProbeAsync(string mediaPath, CancellationToken cancellationToken);
}
