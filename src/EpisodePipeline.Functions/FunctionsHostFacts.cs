using System.Text.Json.Nodes;
using EpisodePipeline.Http;

namespace EpisodePipeline.Functions;

/// <summary>What the Functions host runs with, read from the host.json it was started with.</summary>
internal static class FunctionsHostFacts
{
    public static HostFacts Read(string hostJsonPath)
    {
        var durable = File.Exists(hostJsonPath)
            ? JsonNode.Parse(File.ReadAllText(hostJsonPath), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })?["extensions"]?["durableTask"]
            : null;
        var backend = durable?["storageProvider"]?["type"]?.GetValue<string>() ?? "AzureStorage";
        // The Durable extension's own default when host.json leaves it out: 10 per core.
        var maxActivities = durable?["maxConcurrentActivityFunctions"]?.GetValue<int>() ?? (10 * Environment.ProcessorCount);
        return new HostFacts("functions", backend, maxActivities);
    }
}
