using System.Globalization;

namespace EpisodePipeline.Services.Media;

/// <summary>Which audio track of a file the workflow transcribes.</summary>
public static class AudioTrackChooser
{
    /// <summary>
    /// The track named by <paramref name="requested"/> (the job's <c>audio_track</c>) if given; otherwise the
    /// first track tagged with <paramref name="language"/> (<c>Pipeline:Whisper:Language</c>), else the default
    /// track, else the first. <c>auto</c> matches no tag, so the default track is used.
    /// </summary>
    /// <exception cref="MediaUnreadableException">The file has no audio track.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="requested"/> is not a track of the file; the message lists the tracks there are.
    /// </exception>
    public static AudioTrack Choose(IReadOnlyList<AudioTrack> tracks, int? requested, string? language, string fileName)
    {
        if (tracks.Count == 0)
        {
            throw new MediaUnreadableException($"'{fileName}' has no audio track, so there is nothing to transcribe.");
        }

        if (requested is { } index)
        {
            return tracks.FirstOrDefault(t => t.Index == index)
                ?? throw new ArgumentException(
                    $"Audio track {index} does not exist in '{fileName}'; its audio tracks are {Describe(tracks)}. Ask for one of those, or leave audio_track out.");
        }

        return tracks.FirstOrDefault(t => LanguageCodes.SameLanguage(t.Language, language))
            ?? tracks.FirstOrDefault(t => t.IsDefault)
            ?? tracks[0];
    }

    /// <summary>The tracks as a person reads them: <c>0 (ger, default), 1 (eng)</c>.</summary>
    public static string Describe(IEnumerable<AudioTrack> tracks) => string.Join(", ", tracks.Select(Describe));

    /// <summary>One track as a person reads it: <c>1 (eng, 2 channels)</c>.</summary>
    public static string Describe(AudioTrack track)
    {
        var facts = new List<string>(3);
        if (track.Language is { } language)
        {
            facts.Add(language);
        }

        if (track.IsDefault)
        {
            facts.Add("default");
        }

        if (track.Channels > 0)
        {
            facts.Add(track.Channels == 1 ? "mono" : string.Create(CultureInfo.InvariantCulture, $"{track.Channels} channels"));
        }

        return facts.Count == 0
            ? track.Index.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{track.Index} ({string.Join(", ", facts)})");
    }
}
