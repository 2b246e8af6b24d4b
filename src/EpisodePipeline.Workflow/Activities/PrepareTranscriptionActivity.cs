using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using EpisodePipeline.Jobs;
using EpisodePipeline.Logging;
using EpisodePipeline.Models;
using EpisodePipeline.Options;
using EpisodePipeline.Services.Catalog;
using EpisodePipeline.Services.Media;
using EpisodePipeline.Services.Transcription;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Activities;

/// <param name="AudioTrack">The track the job asked for (<c>audio_track</c>); null lets the language and default flags choose.</param>
public sealed record PrepareTranscriptionInput(
    [property: JsonPropertyName("episode_id")] string EpisodeId,
    [property: JsonPropertyName("force_reprocess")] bool ForceReprocess,
    [property: JsonPropertyName("audio_track")] int? AudioTrack = null);

/// <param name="Fingerprint">Media content, chosen track and transcription settings; stored with the transcript.</param>
/// <param name="Reused">A transcript with this fingerprint exists and may be used as it is.</param>
/// <param name="AudioTrack">The track to transcribe (index among the file's audio streams).</param>
public sealed record PrepareTranscriptionOutput(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("reused")] ProcessEpisodeResult? Reused,
    [property: JsonPropertyName("audio_track")] int AudioTrack = 0);

/// <summary>
/// Checks that the episode exists and its media is readable and unchanged since discovery, chooses the audio
/// track, fingerprints them, and either finds a reusable transcript or makes sure the Whisper model loads, so
/// a bad file, track or model fails the job before any work.
/// </summary>
public sealed class PrepareTranscriptionActivity(
    EpisodeCatalog catalog,
    DataLayout layout,
    IMediaProbe probe,
    ITranscriber transcriber,
    IOptions<PipelineOptions> options,
    ILogger<PrepareTranscriptionActivity> logger) : TaskActivity<PrepareTranscriptionInput, PrepareTranscriptionOutput>
{
    public override async Task<PrepareTranscriptionOutput> RunAsync(TaskActivityContext context, PrepareTranscriptionInput input)
    {
        var episode = await catalog.FindAsync(input.EpisodeId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Episode '{input.EpisodeId}' is not in the catalog; run discovery first.");
        switch (episode.MediaStatus)
        {
            case MediaStatus.Unreadable:
                // Discovery's reason ("It has no audio track ...") with the file it is about.
                throw new MediaUnreadableException($"'{Path.GetFileName(episode.MediaPath)}' cannot be processed. {episode.MediaProblem ?? "It could not be read as media at the last discovery."}");
            case MediaStatus.Settling:
                throw new MediaChangedException($"The media file of episode '{episode.Id}' was still changing at the last discovery; run discovery again once it is complete.");
        }

        MediaChangedException.ThrowIfChanged(episode);

        // Discovery records the tracks; a catalog written before it did is read now.
        var tracks = episode.AudioTracks.Count > 0
            ? episode.AudioTracks
            : (await probe.ProbeAsync(episode.MediaPath, CancellationToken.None)).AudioTracks;
        var track = AudioTrackChooser.Choose(tracks, input.AudioTrack, options.Value.Whisper.Language, Path.GetFileName(episode.MediaPath));

        // A transcript of track 0 is not one of track 1.
        var hash = await HashFileAsync(episode.MediaPath);
        var fingerprint = string.Create(CultureInfo.InvariantCulture, $"{hash}-{transcriber.SettingsFingerprint}-a{track.Index}");
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
                    AudioTrack = track.Index,
                    Warnings = existing.Warnings,
                    Artifacts = TranscriptArtifacts(layout, episode.Id),
                }, track.Index);
            }
        }

        transcriber.EnsureModelLoaded();
        return new PrepareTranscriptionOutput(fingerprint, null, track.Index);
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
