namespace EpisodePipeline.Host.Commands;

/// <summary>
/// One command's arguments: positional values, <c>--name value</c> options and <c>--flag</c>s it knows, and, where
/// the command allows it, configuration overrides (<c>--config PATH</c>, <c>--Section:Key value</c>) passed on to a
/// host. Anything else is a usage error naming the argument.
/// </summary>
internal sealed class ParsedArgs
{
    private ParsedArgs()
    {
    }

    public List<string> Positional { get; } = [];

    public Dictionary<string, string> Options { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    /// <summary>Configuration overrides in their original order, ready for <see cref="StandaloneHost.StartAsync"/>.</summary>
    public List<string> Configuration { get; } = [];

    public string? Option(string name) => Options.GetValueOrDefault(name);

    public bool Flag(string name) => Flags.Contains(name);

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says which argument is wrong.</summary>
    public static bool TryParse(
        IReadOnlyList<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> flags, bool configuration,
        out ParsedArgs parsed, out string error)
    {
        parsed = new ParsedArgs();
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                parsed.Positional.Add(arg);
                continue;
            }

            var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            if (flags.Contains(name) && inline is null)
            {
                parsed.Flags.Add(name);
            }
            else if (options.Contains(name) || (configuration && (name == "--config" || name.Contains(':', StringComparison.Ordinal))))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (value is null)
                {
                    error = $"{name} needs a value.";
                    return false;
                }

                if (options.Contains(name))
                {
                    parsed.Options[name] = value;
                }
                else
                {
                    parsed.Configuration.AddRange([name, value]);
                }
            }
            else
            {
                error = $"Unknown option '{arg}'.";
                return false;
            }
        }

        return true;
    }
}
