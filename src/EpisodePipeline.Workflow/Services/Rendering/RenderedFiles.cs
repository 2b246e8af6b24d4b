using System.Text.Json.Serialization;

namespace EpisodePipeline.Services.Rendering;

/// <summary>The kinds of file the Render stage writes, as keys of <see cref="RenderOutcome.Files"/>.</summary>
public static class RenderedFiles
{
    public const string Page = "page";
    public const string Media = "media";
    public const string CaptionsVtt = "captions_vtt";
    public const string CaptionsSrt = "captions_srt";
    public const string ChaptersVtt = "chapters_vtt";
    public const string ChaptersJson = "chapters_json";
    public const string PodcastTranscript = "podcast_transcript";
    public const string TranscriptText = "transcript_text";
    public const string ChapterList = "chapter_list";
    public const string Enrichment = "enrichment";
    public const string SiteIndex = "site_index";
    public const string Feed = "feed";
}
