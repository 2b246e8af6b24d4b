using EpisodePipeline.Options;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Services.Catalog;

/// <summary>
/// Where the workflow keeps things under the data folder. Artifacts are recorded relative to the
/// data folder, so orchestration history carries short references and a moved data folder still works.
/// </summary>
public sealed class DataLayout(IOptions<PipelineOptions> options)
{
    public string DataFolder { get; } = options.Value.Resolve(options.Value.DataFolder);

    public string CatalogPath => Path.Combine(DataFolder, "catalog.json");

    public string EpisodeFolder(string episodeId)
    {
        if (!EpisodeIds.IsValid(episodeId))
        {
            throw new ArgumentException($"'{episodeId}' is not a valid episode id.", nameof(episodeId));
        }

        return Path.Combine(DataFolder, "episodes", episodeId);
    }

    public string AudioPath(string episodeId) => Path.Combine(EpisodeFolder(episodeId), "audio.wav");

    public string TranscriptPath(string episodeId) => Path.Combine(EpisodeFolder(episodeId), "transcript.json");

    public string TranscriptTextPath(string episodeId) => Path.Combine(EpisodeFolder(episodeId), "transcript.txt");

    public string SegmentPath(string episodeId, int index) => Path.Combine(EpisodeFolder(episodeId), "segments", $"{index:D4}.json");

    public string EnrichmentPath(string episodeId) => Path.Combine(EpisodeFolder(episodeId), "enrichment.json");

    /// <summary>Work files of the Enrich stage: the notes of each transcript part.</summary>
    public string EnrichmentFolder(string episodeId) => Path.Combine(EpisodeFolder(episodeId), "enrichment");

    public string EnrichmentPartPath(string episodeId, int index) => Path.Combine(EnrichmentFolder(episodeId), $"part-{index:D4}.json");

    public string ToRelative(string fullPath) => Path.GetRelativePath(DataFolder, fullPath).Replace('\\', '/');

    /// <summary>Resolves a recorded artifact reference, refusing anything that would leave the data folder.</summary>
    public string FromRelative(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(DataFolder, relativePath));
        var root = Path.EndsInDirectorySeparator(DataFolder) ? DataFolder : DataFolder + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact reference '{relativePath}' points outside the data folder.", nameof(relativePath));
        }

        return full;
    }
}
