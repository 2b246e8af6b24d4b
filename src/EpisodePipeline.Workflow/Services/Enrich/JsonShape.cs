using System.Text.Json;

namespace EpisodePipeline.Services.Enrich;

/// <summary>
/// Checks a model's answer against the JSON schema it was asked to follow: the subset our schemas use
/// (<c>type</c> object/array/string/number/integer, <c>properties</c>, <c>required</c>, <c>items</c>).
/// Problems are worded for the model, which is told them when asked again.
/// </summary>
internal static class JsonShape
{
    /// <summary>Parses <paramref name="answer"/>; null and the problems when it is not JSON or does not follow <paramref name="schema"/>.</summary>
    public static JsonElement? Check(string answer, JsonElement schema, List<string> problems)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(StripFence(answer));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add($"the answer is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}); answer with one JSON object only");
            return null;
        }

        var before = problems.Count;
        Walk(root, schema, "the answer", problems);
        return problems.Count == before ? root : null;
    }

    // Some models wrap JSON in a Markdown fence even when a format is set.
    private static string StripFence(string answer)
    {
        var text = answer.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
            var last = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && last > firstLine)
            {
                return text[(firstLine + 1)..last];
            }
        }

        return text;
    }

    private static void Walk(JsonElement value, JsonElement schema, string where, List<string> problems)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "object":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{where} must be a JSON object, not {Kind(value)}");
                    return;
                }

                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _))
                        {
                            problems.Add($"{where} is missing the field \"{name}\"");
                        }
                    }
                }

                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (value.TryGetProperty(property.Name, out var field))
                        {
                            Walk(field, property.Value, where == "the answer" ? $"\"{property.Name}\"" : $"{where}.{property.Name}", problems);
                        }
                    }
                }

                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{where} must be an array, not {Kind(value)}");
                    return;
                }

                if (schema.TryGetProperty("items", out var items))
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Walk(item, items, $"{where}[{i++}]", problems);
                    }
                }

                break;
            case "string" when value.ValueKind != JsonValueKind.String:
                problems.Add($"{where} must be a string, not {Kind(value)}");
                break;
            case "number" or "integer" when value.ValueKind != JsonValueKind.Number:
                problems.Add($"{where} must be a number, not {Kind(value)}");
                break;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
