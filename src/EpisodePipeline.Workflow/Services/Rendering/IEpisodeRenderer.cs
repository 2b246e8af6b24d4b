namespace EpisodePipeline.Services.Rendering;

/// <summary>Publishes one episode into the output folder: its page, captions, chapters and transcripts, then the site index and feed.</summary>
public interface IEpisodeRenderer
{
    /// <summary>
    /// Renders from the episode's <c>transcript.json</c> (required) and <c>enrichment.json</c> (optional: without it the
    /// page has no summary, chapters, keywords or quotes). Every file is replaced atomically.
    /// </summary>
    Task<RenderOutcome> RenderAsync(string episodeId, CancellationToken cancellationToken = default);
}
