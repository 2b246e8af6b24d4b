using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace EpisodePipeline.Models;

/// <summary>
/// The JSON/URL names of the contract's enums (<see cref="EpisodeStage"/>, <see cref="Jobs.JobStatus"/>,
/// <see cref="Jobs.JobPhase"/>), read from their <see cref="JsonStringEnumMemberNameAttribute"/>s, so
/// each vocabulary is written down exactly once: in its enum.
/// </summary>
public static class WireName
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Name, object Value)>> Tables = new();

    /// <summary>The wire name of <paramref name="value"/>, e.g. <c>transcribed</c>.</summary>
    public static string Of<T>(T value) where T : struct, Enum =>
        Table<T>().First(e => e.Value.Equals(value)).Name;

    /// <summary>Every wire name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => [.. Table<T>().Select(e => e.Name)];

    /// <summary>Parses a wire name (exact, case-sensitive); false for anything else, including enum member names.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        foreach (var entry in Table<T>())
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                value = (T)entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static IReadOnlyList<(string Name, object Value)> Table<T>() where T : struct, Enum =>
        Tables.GetOrAdd(typeof(T), type => [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{type.Name}.{f.Name} has no wire name."),
                f.GetValue(null)!))]);
}
