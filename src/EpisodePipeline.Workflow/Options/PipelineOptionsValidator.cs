using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Options;

/// <summary>Rules that span several settings, reported with the configuration key that must change.</summary>
public sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        const string w = PipelineOptions.Section + ":Whisper:";
        if (options.Whisper.OverlapSeconds * 2 >= options.Whisper.SegmentSeconds)
        {
            errors.Add($"{w}OverlapSeconds ({options.Whisper.OverlapSeconds}) must be less than half of {w}SegmentSeconds ({options.Whisper.SegmentSeconds}).");
        }

        for (var i = 0; i < options.Input.Extensions.Count; i++)
        {
            var ext = options.Input.Extensions[i];
            if (ext.Length < 2 || ext[0] != '.' || ext.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                errors.Add($"{PipelineOptions.Section}:Input:Extensions:{i} ('{ext}') must look like '.mp4'.");
            }
        }

        for (var i = 0; i < options.Input.Folders.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Input.Folders[i]))
            {
                errors.Add($"{PipelineOptions.Section}:Input:Folders:{i} must not be empty.");
            }
        }

        errors.AddRange(OverlappingFolders(options));

        if (!Uri.TryCreate(options.Ollama.Url, UriKind.Absolute, out var ollama) || (ollama.Scheme != Uri.UriSchemeHttp && ollama.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{PipelineOptions.Section}:Ollama:Url ('{options.Ollama.Url}') must be an absolute http(s) URL.");
        }

        if (!string.IsNullOrEmpty(options.Render.TemplatesFolder) && !Directory.Exists(options.Resolve(options.Render.TemplatesFolder)))
        {
            errors.Add($"{PipelineOptions.Section}:Render:TemplatesFolder ('{options.Resolve(options.Render.TemplatesFolder)}') does not exist.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// Folders are scanned recursively, so a folder inside another (or the same folder twice, also through a
    /// link) would make the same file two episodes with different ids.
    /// </summary>
    private static IEnumerable<string> OverlappingFolders(PipelineOptions options)
    {
        const string f = PipelineOptions.Section + ":Input:Folders:";
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var folders = options.Input.Folders
            .Select((folder, i) => (Index: i, Configured: folder, Full: string.IsNullOrWhiteSpace(folder) ? null : RealFolder(options.Resolve(folder))))
            .Where(x => x.Full is not null)
            .ToList();
        for (var a = 0; a < folders.Count; a++)
        {
            for (var b = a + 1; b < folders.Count; b++)
            {
                var (first, second) = (folders[a], folders[b]);
                var relation =
                    string.Equals(first.Full, second.Full, comparison) ? "are the same folder" :
                    IsInside(second.Full!, first.Full!, comparison) ? $"overlap: '{second.Configured}' is inside '{first.Configured}'" :
                    IsInside(first.Full!, second.Full!, comparison) ? $"overlap: '{first.Configured}' is inside '{second.Configured}'" :
                    null;
                if (relation is not null)
                {
                    yield return $"{f}{first.Index} ('{first.Configured}') and {f}{second.Index} ('{second.Configured}') {relation}; folders are scanned recursively, so keep only the outer one.";
                }
            }
        }

        static bool IsInside(string inner, string outer, StringComparison comparison) =>
            inner.StartsWith(Path.EndsInDirectorySeparator(outer) ? outer : outer + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>The folder with links resolved where it exists, so two spellings of one folder compare equal.</summary>
    private static string RealFolder(string full)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(full);
        return Directory.Exists(trimmed) ? Services.Catalog.RealPaths.Resolve(trimmed) : trimmed;
    }
}
