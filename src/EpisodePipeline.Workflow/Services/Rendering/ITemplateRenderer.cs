namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// Turns a named template and a model into text (Scriban behind it: <see cref="ScribanTemplateRenderer"/>).
/// The model is plain data only (strings, numbers, booleans, lists, string-keyed dictionaries), so a
/// template reaches nothing of .NET beyond it; every value a template writes is HTML-encoded.
/// </summary>
public interface ITemplateRenderer
{
    /// <summary>Renders template <paramref name="name"/> (e.g. <c>episode.html.sbn</c>): the templates folder's file of that name, else the embedded default.</summary>
    string Render(string name, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken = default);

    /// <summary>Parses every template now, so a broken override stops start-up instead of failing the first job.</summary>
    void Check();

    /// <summary>A file published as it is (<c>player.js</c>, <c>site.css</c>): the templates folder's copy, else the embedded one.</summary>
    string Asset(string name);
}
