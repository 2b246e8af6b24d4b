using System.Text.Json.Serialization;

namespace EpisodePipeline.Jobs;

/// <summary>Artifact kinds recorded in the catalog and in job results.</summary>
public static class ArtifactKinds
{
    public const string Audio = "audio";
    public const string Transcript = "transcript";
    public const string TranscriptText = "transcript_text";
    public const string Enrichment = "enrichment";
}
