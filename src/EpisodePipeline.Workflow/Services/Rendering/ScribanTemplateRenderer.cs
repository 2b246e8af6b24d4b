using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using EpisodePipeline.Options;
using Microsoft.Extensions.Options;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// <see cref="ITemplateRenderer"/> over Scriban, locked down for strings that come from a transcript or an LLM:
/// <list type="bullet">
/// <item>the model is copied into <see cref="ScriptObject"/>s and <see cref="ScriptArray"/>s of plain values, and
/// <see cref="TemplateContext.MemberFilter"/> refuses every reflected .NET member, so templates see the model and
/// Scriban's builtins only;</item>
/// <item>every value written by <c>{{ … }}</c> is HTML-encoded (<see cref="EncodingContext"/>); <c>html.escape</c>
/// marks its result as encoded, so templates that use it are not encoded twice;</item>
/// <item><c>object.eval</c> and <c>object.eval_template</c> are removed, so a string that contains <c>{{ }}</c> stays text;</item>
/// <item>no template loader (no <c>include</c> from disk), strict variables, and loop and output limits.</item>
/// </list>
/// Parsed templates are cached per file and re-read when an override file changes.
/// </summary>
public sealed class ScribanTemplateRenderer(IOptions<PipelineOptions> options) : ITemplateRenderer
{
    private const string ResourcePrefix = "EpisodePipeline.Templates.";

    private readonly string? _folder = string.IsNullOrEmpty(options.Value.Render.TemplatesFolder)
        ? null
        : options.Value.Resolve(options.Value.Render.TemplatesFolder);

    private readonly ConcurrentDictionary<string, (DateTime Stamp, Template Template)> _parsed = new(StringComparer.Ordinal);

    /// <summary>The names of the embedded defaults, each of which a templates folder may override.</summary>
    public static IReadOnlyList<string> DefaultNames { get; } =
    [
        .. typeof(ScribanTemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal),
    ];

    public string Render(string name, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken = default)
    {
        var template = Parsed(name);
        var globals = new ScriptObject(StringComparer.Ordinal);
        foreach (var (key, value) in model)
        {
            globals.Add(key, ToScript(value));
        }

        var context = new EncodingContext
        {
            MemberFilter = static _ => false,
            StrictVariables = true,
            EnableRelaxedMemberAccess = true,
            TemplateLoader = null,
            LoopLimit = 1_000_000,
            LimitToString = 0,
            RecursiveLimit = 50,
            CancellationToken = cancellationToken,
        };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    public string Asset(string name) => Read(name).Text;

    public void Check()
    {
        foreach (var name in DefaultNames.Where(n => n.EndsWith(".sbn", StringComparison.Ordinal)))
        {
            Parsed(name);
        }
    }

    private Template Parsed(string name)
    {
        var (stamp, path) = Locate(name);
        if (_parsed.TryGetValue(name, out var cached) && cached.Stamp == stamp)
        {
            return cached.Template;
        }

        var template = Template.Parse(Read(name).Text, path);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"Template '{path}' does not parse: {string.Join("; ", template.Messages)}");
        }

        _parsed[name] = (stamp, template);
        return template;
    }

    private (DateTime Stamp, string Path) Locate(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' is not a template name.", nameof(name));
        }

        if (_folder is not null)
        {
            var path = Path.Combine(_folder, name);
            if (File.Exists(path))
            {
                return (File.GetLastWriteTimeUtc(path), path);
            }
        }

        return (DateTime.MinValue, $"embedded:{name}");
    }

    private (string Text, string Path) Read(string name)
    {
        var (stamp, path) = Locate(name);
        if (stamp != DateTime.MinValue)
        {
            return (File.ReadAllText(path), path);
        }

        using var stream = typeof(ScribanTemplateRenderer).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new FileNotFoundException($"There is no template '{name}' (embedded: {string.Join(", ", DefaultNames)}).", name);
        using var reader = new StreamReader(stream);
        return (reader.ReadToEnd(), path);
    }

    /// <summary>Copies plain data into Scriban's own types; anything else is refused, so no .NET object reaches a template.</summary>
    internal static object? ToScript(object? value)
    {
        switch (value)
        {
            case null:
            case string:
            case bool:
            case int:
            case long:
            case double:
                return value;
            case IReadOnlyDictionary<string, object?> map:
                var obj = new ScriptObject(StringComparer.Ordinal);
                foreach (var (key, item) in map)
                {
                    obj.Add(key, ToScript(item));
                }

                return obj;
            case IEnumerable list:
                var array = new ScriptArray();
                foreach (var item in list)
                {
                    array.Add(ToScript(item));
                }

                return array;
            default:
                throw new ArgumentException($"A template model holds plain data only, not {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>Text <c>html.escape</c> has encoded already; written as it is.</summary>
    private sealed record EncodedHtml(string Html)
    {
        public override string ToString() => Html;
    }

    /// <summary>HTML-encodes every value a template writes; the template's own text is written as it is.</summary>
    private sealed class EncodingContext : TemplateContext
    {
        public EncodingContext() : base(SafeBuiltins())
        {
        }

        public override TemplateContext Write(SourceSpan span, object? textAsObject)
        {
            if (textAsObject is EncodedHtml encoded)
            {
                return Write(encoded.Html);
            }

            var text = textAsObject is null ? null : ObjectToString(textAsObject);
            return string.IsNullOrEmpty(text) ? this : Write(WebUtility.HtmlEncode(text));
        }

        private static ScriptObject SafeBuiltins()
        {
            var builtins = GetDefaultBuiltinObject();
            var objectFunctions = new ScriptObject();
            foreach (var (key, value) in (ScriptObject)builtins["object"]!)
            {
                if (key is not ("eval" or "eval_template"))
                {
                    objectFunctions.Add(key, value);
                }
            }

            var htmlFunctions = new ScriptObject();
            foreach (var (key, value) in (ScriptObject)builtins["html"]!)
            {
                htmlFunctions.Add(key, value);
            }

            htmlFunctions.Import("escape", new Func<string?, object>(text => new EncodedHtml(WebUtility.HtmlEncode(text ?? ""))));
            builtins.SetValue("object", objectFunctions, readOnly: true);
            builtins.SetValue("html", htmlFunctions, readOnly: true);
            return builtins;
        }
    }
}
