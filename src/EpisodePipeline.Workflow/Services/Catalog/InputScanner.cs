namespace EpisodePipeline.Services.Catalog;

/// <summary>A media file found in an input folder.</summary>
/// <param name="Path">Where it was found (through links, as the user named it).</param>
/// <param name="Relative">Path relative to its input folder, the source of the episode id.</param>
/// <param name="RealPath">Path with every link resolved: one episode per real file.</param>
/// <param name="Size">Size of the real file (a link's target, not the link).</param>
/// <param name="Modified">Last write time of the real file.</param>
internal sealed record ScannedFile(string Path, string Relative, string RealPath, long Size, DateTimeOffset Modified, bool ViaLink);

internal sealed record ScanResult(IReadOnlyList<ScannedFile> Files, IReadOnlyDictionary<string, int> Skipped, IReadOnlyList<DanglingLink> Dangling);

/// <summary>
/// Walks the input folders following symbolic links safely: every real directory is read once, a directory
/// link that leads back into an input folder is not followed (its content is found where it really is),
/// a file reached by several names is one file (its real name wins), and links that lead nowhere are reported.
/// </summary>
internal static class InputScanner
{
    private static readonly StringComparer PathComparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    public static ScanResult Scan(IEnumerable<string> folders, IReadOnlySet<string> extensions)
    {
        var inputs = folders.Where(Directory.Exists).Select(f => (Display: Path.TrimEndingDirectorySeparator(f), Real: RealPaths.Resolve(f))).ToList();
        var visited = new HashSet<string>(PathComparer);
        var candidates = new List<ScannedFile>();
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var dangling = new List<DanglingLink>();

        foreach (var input in inputs)
        {
            if (!visited.Add(input.Real))
            {
                continue;
            }

            var pending = new Stack<(string Display, string Real, bool ViaLink)>();
            pending.Push((input.Display, input.Real, false));
            while (pending.TryPop(out var folder))
            {
                List<FileSystemInfo> entries;
                try
                {
                    entries = [.. new DirectoryInfo(folder.Display).EnumerateFileSystemInfos("*", OneLevel).OrderBy(e => e.Name, StringComparer.Ordinal)];
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                foreach (var entry in entries)
                {
                    if (entry.LinkTarget is { } linkTarget)
                    {
                        string? real;
                        try
                        {
                            var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                            real = target is { Exists: true } ? RealPaths.Resolve(target.FullName) : null;
                        }
                        catch (IOException)
                        {
                            real = null;
                        }

                        if (real is null)
                        {
                            dangling.Add(new DanglingLink(entry.FullName, linkTarget));
                        }
                        else if (Directory.Exists(real))
                        {
                            // A link back into an input folder would scan its files twice (or forever, when it loops).
                            if (!inputs.Any(i => IsSameOrInside(real, i.Real)) && visited.Add(real))
                            {
                                pending.Push((entry.FullName, real, true));
                            }
                        }
                        else
                        {
                            Consider(entry.FullName, real, new FileInfo(real), viaLink: true);
                        }
                    }
                    else if (entry is DirectoryInfo)
                    {
                        var real = Path.Join(folder.Real, entry.Name);
                        if (visited.Add(real))
                        {
                            pending.Push((entry.FullName, real, folder.ViaLink));
                        }
                    }
                    else if (entry is FileInfo file)
                    {
                        Consider(file.FullName, Path.Join(folder.Real, entry.Name), file, folder.ViaLink);
                    }
                }
            }

            void Consider(string path, string real, FileInfo file, bool viaLink)
            {
                var extension = Path.GetExtension(path);
                if (!extensions.Contains(extension))
                {
                    var key = extension.Length == 0 ? "(none)" : extension.ToLowerInvariant();
                    skipped[key] = skipped.GetValueOrDefault(key) + 1;
                    return;
                }

                try
                {
                    candidates.Add(new ScannedFile(path, Path.GetRelativePath(input.Display, path), real, file.Length,
                        new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), viaLink));
                }
                catch (IOException)
                {
                    // Gone between listing and reading: the next discovery sees it as removed.
                }
            }
        }

        // One episode per real file: its own name beats any name through a link, then the first name in order.
        var files = candidates
            .GroupBy(c => c.RealPath, PathComparer)
            .Select(g => g.OrderBy(c => c.ViaLink).ThenBy(c => c.Path, StringComparer.Ordinal).First())
            .OrderBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        return new ScanResult(files, skipped, dangling);
    }

    private static bool IsSameOrInside(string path, string folder) =>
        PathComparer.Equals(path, folder) ||
        path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
