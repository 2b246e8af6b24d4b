using System.Security.Cryptography;
using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EpisodePipeline.Activities;

public sealed record PrepareTranscriptionInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("force_reprocess")] bool ForceReprocess);

/// <param name="Fingerprint">Media content plus transcription settings; stored with the transcript.</param>
/// <param name="Reused">A transcript with this fingerprint exists and may be used as it is.</param>
public sealed record PrepareTranscriptionOutput(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("reused")] ProcessEpisodeResult? Reused);

/// <summary>
/// Checks that the episode and its media exist, fingerprints them, and either finds a reusable
/// transcript or makes sure the Whisper model loads, so a bad model fails the job before any work.
/// </summary>
public sealed class PrepareTranscriptionActivity(
    EpisodeCatalog catalog,
    DataLayout layout,
    ITranscriber transcriber,
    ILogger<PrepareTranscriptionActivity> logger) : TaskActivity<PrepareTranscriptionInput, PrepareTranscriptionOutput>
{
    public override async Task<PrepareTranscriptionOutput> RunAsync(TaskActivityContext context, PrepareTranscriptionInput input)
    {
        var episode = await catalog.FindAsync(input.EpisodeId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Episode '{input.EpisodeId}' is not in the catalog; run discovery first.");
        if (!File.Exists(episode.MediaPath))
        {
            throw new FileNotFoundException($"Media file of episode '{episode.Id}' is gone: '{episode.MediaPath}'. Run discovery again.");
        }

        var fingerprint = $"{await HashFileAsync(episode.MediaPath)}-{transcriber.SettingsFingerprint}";
        if (!input.ForceReprocess)
        {
            var existing = await AtomicFile.ReadJsonAsync<Transcript>(layout.TranscriptPath(episode.Id));
            if (existing?.Fingerprint == fingerprint && File.Exists(layout.TranscriptTextPath(episode.Id)))
            {
                logger.TranscriptReused(episode.Id);
                return new PrepareTranscriptionOutput(fingerprint, new ProcessEpisodeResult
                {
                    EpisodeId = episode.Id,
                    Stage = EpisodeStage.Transcribed,
                    Duration = existing.DurationSeconds,
                    Reused = true,
                    Segments = existing.Segments.Count,
                    Artifacts = TranscriptArtifacts(layout, episode.Id),
                });
            }
        }

        transcriber.EnsureModelLoaded();
        return new PrepareTranscriptionOutput(fingerprint, null);
    }

    internal static Dictionary<string, string> TranscriptArtifacts(DataLayout layout, string episodeId) => new()
    {
        [ArtifactKinds.Transcript] = layout.ToRelative(layout.TranscriptPath(episodeId)),
        [ArtifactKinds.TranscriptText] = layout.ToRelative(layout.TranscriptTextPath(episodeId)),
    };

    private static async Task<string> HashFileAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream))[..32];
    }
}
