using System.Globalization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Media;

/// <summary>
/// The media file is not the one discovery saw: gone, still being copied, cut or replaced. The job would
/// transcribe part of a file or the wrong one, and retrying reads the same changed file, so the workflow
/// fails at once and asks for discovery to run again.
/// </summary>
public sealed class MediaChangedException(string message) : Exception(message)
{
    /// <summary>
    /// Throws when <paramref name="episode"/>'s media file is missing, or its size or modification time differ
    /// from what discovery recorded. <paramref name="whileReading"/> words the message for a check made after
    /// the job read the file.
    /// </summary>
    public static void ThrowIfChanged(Episode episode, bool whileReading = false)
    {
        var file = new FileInfo(episode.MediaPath);
        if (file.LinkTarget is not null)
        {
            // Media found through a symbolic link: discovery measured the file it leads to, not the link.
            file = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
        }

        if (!file.Exists)
        {
            throw new MediaChangedException(
                $"The media file of episode '{episode.Id}' is gone{(whileReading ? " since the job started reading it" : "")}: '{episode.MediaPath}'. Run discovery again.");
        }

        var when = whileReading ? "while the job was reading it" : "since discovery";
        if (file.Length != episode.SizeBytes)
        {
            throw new MediaChangedException(string.Create(CultureInfo.InvariantCulture,
                $"The media file of episode '{episode.Id}' changed {when} (size {episode.SizeBytes:N0} → {file.Length:N0} bytes); run discovery again once it is complete."));
        }

        // Discovery keeps the time to the tick; a second of slack allows for catalogs written with less precision.
        var modified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        if ((modified - episode.ModifiedAt).Duration() > TimeSpan.FromSeconds(1))
        {
            throw new MediaChangedException(string.Create(CultureInfo.InvariantCulture,
                $"The media file of episode '{episode.Id}' changed {when} (modified {episode.ModifiedAt:u} → {modified:u}); run discovery again."));
        }
    }
}
