using System.ComponentModel.DataAnnotations;

namespace EpisodePipeline.Options;

/// <summary>The Render stage's settings (<c>Pipeline:Render</c>): site title, public address, template overrides.</summary>
public sealed class RenderOptions : IValidatableObject
{
    private const string Key = PipelineOptions.Section + ":Render:";

    /// <summary>
    /// A folder whose files replace the embedded templates of the same name (<c>episode.html.sbn</c>,
    /// <c>index.html.sbn</c>, <c>feed.xml.sbn</c>, <c>player.js</c>, <c>site.css</c>); empty: embedded only.
    /// Relative to <c>Pipeline:Root</c>.
    /// </summary>
    public string TemplatesFolder { get; set; } = "";

    /// <summary>Title of the site index and of the RSS feed.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SiteTitle { get; set; } = "EpisodePipeline";

    /// <summary>One line describing the site, used by the feed's channel.</summary>
    public string SiteDescription { get; set; } = "Episodes transcribed and published by EpisodePipeline.";

    /// <summary>
    /// Where the output folder is reachable from outside, for the feed's absolute URLs
    /// (enclosures, transcripts, chapters). The standalone host serves it under <c>/site/</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string BaseUrl { get; set; } = "http://localhost:8000/site/";

    /// <summary><see cref="BaseUrl"/> with exactly one trailing slash, so relative references resolve below it. A method: validation reads every property, and this one throws on a bad URL.</summary>
    public Uri BaseUri() => new(BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            yield return new ValidationResult($"{Key}BaseUrl ('{BaseUrl}') must be an absolute http(s) URL without query, e.g. 'https://example.org/site/'.", [nameof(BaseUrl)]);
        }
    }
}
