using System.Text.Json.Serialization;
using EpisodePipeline.Logging;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Activities;

/// <param name="AudioTrack">The audio track to extract (index among the file's audio streams).</param>
public sealed record ExtractAudioInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("audio_track")] int AudioTrack = 0);

/// <param name="DurationSeconds">Length of the WAV, which is on the media's timeline: what was decoded.</param>
/// <param name="DeclaredSeconds">Where the container says the track ends; null when it does not say.</param>
/// <param name="Warnings">Things a person should know although extraction succeeded (a file that may be truncated).</param>
public sealed record ExtractAudioOutput(
    [property: JsonPropertyName("audio")] string Audio,
    [property: JsonPropertyName("duration_seconds")] double DurationSeconds,
    [property: JsonPropertyName("audio_track")] int AudioTrack = 0,
    [property: JsonPropertyName("declared_seconds")] double? DeclaredSeconds = null,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string>? Warnings = null);

/// <summary>
/// Writes one audio track of the episode as 16 kHz mono PCM WAV (<c>audio.wav</c>) on the media's timeline.
/// The media must be the file discovery saw, before and after FFmpeg reads it: a file still being copied,
/// cut or replaced fails the job instead of completing it with part of the audio.
/// </summary>
public sealed class ExtractAudioActivity(
    EpisodeCatalog catalog,
    DataLayout layout,
    IAudioExtractor extractor,
    ILogger<ExtractAudioActivity> logger) : TaskActivity<ExtractAudioInput, ExtractAudioOutput>
{
    public override async Task<ExtractAudioOutput> RunAsync(TaskActivityContext context, ExtractAudioInput input)
    {
        var episode = await catalog.FindAsync(input.EpisodeId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Episode '{input.EpisodeId}' is not in the catalog.");
        MediaChangedException.ThrowIfChanged(episode);

        var wav = layout.AudioPath(episode.Id);
        var audio = await extractor.ExtractWavAsync(episode.MediaPath, input.AudioTrack, wav, CancellationToken.None);
        try
        {
            MediaChangedException.ThrowIfChanged(episode, whileReading: true);
        }
        catch (MediaChangedException)
        {
            // Part of one file, or parts of two: not audio any later step should use.
            File.Delete(wav);
            throw;
        }

        // The file discovery probed is the file decoded, so its declared length stands in when the track has none.
        var checkedAudio = audio.DeclaredSeconds is null ? audio with { DeclaredSeconds = episode.DurationSeconds } : audio;
        logger.AudioExtracted(episode.Id, input.AudioTrack, audio.DecodedSeconds, audio.StartSeconds, checkedAudio.DeclaredSeconds);
        List<string> warnings = [];
        if (checkedAudio.TruncationWarning() is { } truncated)
        {
            logger.MediaWarning(episode.Id, truncated);
            warnings.Add(truncated);
        }

        return new ExtractAudioOutput(layout.ToRelative(wav), audio.DecodedSeconds, input.AudioTrack, checkedAudio.DeclaredSeconds, warnings);
    }
}
