using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Scalar.AspNetCore;

namespace EpisodePipeline.Functions;

/// <summary>
/// What <c>/openapi/v1.json</c> and <c>/docs/</c> serve in the Functions app: <c>docs/openapi/v1.json</c> and
/// <c>docs/openapi/reference.html</c>, which the standalone host generated (a test keeps them equal to what it
/// generates now), embedded at build time; and Scalar's scripts from the Scalar.AspNetCore package, as the standalone
/// host serves them, so the page works offline.
/// </summary>
internal static class ApiReferenceFiles
{
    private const string JsonType = "application/json; charset=utf-8";

    // Scalar.AspNetCore embeds its page's scripts under this prefix and serves them from its own folder, /docs/.
    private static readonly EmbeddedFileProvider ScalarAssets = new(typeof(ScalarOptions).Assembly, "ScalarStaticAssets");

    private static readonly Dictionary<string, string> AssetTypes = new(StringComparer.Ordinal)
    {
        ["scalar.js"] = "text/javascript",
        ["scalar.aspnetcore.js"] = "text/javascript",
        ["favicon.svg"] = "image/svg+xml",
    };

    /// <summary>The OpenAPI document.</summary>
    public static IResult Document() => Results.Bytes(Embedded("openapi/v1.json"), JsonType);

    /// <param name="path">The part after <c>/docs/</c>; null or empty for the page.</param>
    /// <param name="requestPath">The request's path, to send <c>/docs</c> to <c>/docs/</c>, where the page's relative links resolve.</param>
    public static IResult Serve(string? path, string requestPath)
    {
        if (string.IsNullOrEmpty(path))
        {
            return requestPath.EndsWith('/')
                ? Results.Bytes(Embedded("openapi/reference.html"), "text/html; charset=utf-8")
                : Results.Redirect(requestPath + "/");
        }

        var asset = ScalarAssets.GetFileInfo(path);
        return AssetTypes.TryGetValue(path, out var contentType) && asset.Exists
            ? Results.Stream(asset.CreateReadStream(), contentType)
            : Results.NotFound();
    }

    private static byte[] Embedded(string name)
    {
        using var stream = typeof(ApiReferenceFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The Functions app was built without its embedded '{name}'.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
