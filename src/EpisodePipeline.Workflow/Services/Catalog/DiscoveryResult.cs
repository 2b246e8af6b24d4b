using System.Text.Json.Serialization;
using EpisodePipeline.Models;

namespace EpisodePipeline.Services.Catalog;

/// <summary>What one discovery run saw.</summary>
/// <param name="Found">Media files present now (one per real file).</param>
/// <param name="Added">New episodes.</param>
/// <param name="Changed">Episodes whose file changed, came back, finished settling or went missing.</param>
/// <param name="Missing">Episodes whose file is gone.</param>
/// <param name="Ready">Present episodes that can be processed.</param>
/// <param name="Settling">Present episodes whose file is still changing (not probed yet).</param>
/// <param name="Unreadable">Present episodes whose file cannot be processed; each says why in <c>media_problem</c>.</param>
/// <param name="Skipped">Files in the input folders that are not media by their extension, counted by extension.</param>
/// <param name="DanglingLinks">Symbolic links in the input folders that lead nowhere.</param>
public sealed record DiscoveryResult(
    [property: JsonPropertyName("found")] int Found,
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("missing")] int Missing,
    [property: JsonPropertyName("ready")] int Ready,
    [property: JsonPropertyName("settling")] int Settling,
    [property: JsonPropertyName("unreadable")] int Unreadable,
    [property: JsonPropertyName("skipped")] IReadOnlyDictionary<string, int> Skipped,
    [property: JsonPropertyName("dangling_links")] IReadOnlyList<DanglingLink> DanglingLinks,
    [property: JsonPropertyName("episodes")] IReadOnlyList<Episode> Episodes);
