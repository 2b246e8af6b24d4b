namespace EpisodePipeline.Host.Commands;

/// <summary>
/// Where a client command sends its requests and how it answers: <c>--url</c> (else <see cref="UrlVariable"/>, else
/// <see cref="DefaultUrl"/>), <c>--key</c> (else <see cref="KeyVariable"/>), <c>--json</c>.
/// </summary>
internal sealed record ClientSettings(Uri Url, string? Key, bool Json)
{
    public const string UrlVariable = "EPISODEPIPELINE_URL";
    public const string KeyVariable = "EPISODEPIPELINE_KEY";

    public static readonly Uri DefaultUrl = new("http://localhost:8000");

    /// <summary>The options every client command takes.</summary>
    public static readonly string[] Options = ["--url", "--key"];

    /// <summary>The flags every client command takes.</summary>
    public static readonly string[] Flags = ["--json"];

    public static bool TryCreate(ParsedArgs args, Func<string, string?> environment, out ClientSettings settings, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        settings = null!;
        error = "";
        var url = args.Option("--url") ?? NullIfEmpty(environment(UrlVariable)) ?? DefaultUrl.AbsoluteUri;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{url}' is not an absolute http(s) URL (--url or {UrlVariable}), e.g. {DefaultUrl.AbsoluteUri.TrimEnd('/')}.";
            return false;
        }

        settings = new ClientSettings(uri, args.Option("--key") ?? NullIfEmpty(environment(KeyVariable)), args.Flag("--json"));
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
