using System.Text.Json.Serialization;
using EpisodePipeline.Logging;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Activities;

public sealed record ExtractAudioInput([property: JsonPropertyName("episode_id")] string EpisodeId);

public sealed record ExtractAudioOutput(
    [property: JsonPropertyName("audio")] string Audio,
    [property: JsonPropertyName("duration_seconds")] double DurationSeconds);

/// <summary>Writes the episode's audio as 16 kHz mono PCM WAV (<c>audio.wav</c>) with FFmpeg.</summary>
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
        var wav = layout.AudioPath(episode.Id);
        var duration = await extractor.ExtractWavAsync(episode.MediaPath, wav, CancellationToken.None);
        if (duration <= 0)
        {
            throw new InvalidOperationException($"Episode '{episode.Id}' has no audio: '{episode.MediaPath}'.");
        }

        logger.AudioExtracted(episode.Id, duration);
        return new ExtractAudioOutput(layout.ToRelative(wav), duration);
    }
}
