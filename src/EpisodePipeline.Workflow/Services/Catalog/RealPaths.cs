namespace EpisodePipeline.Services.Catalog;

/// <summary>Resolves every symbolic link in a path, as POSIX <c>realpath</c> does, so one place has one name.</summary>
public static class RealPaths
{
    private const int MaxLinks = 40;

    /// <summary>The path with every link resolved; parts that do not exist are kept as written. Throws <see cref="IOException"/> on a link loop.</summary>
    public static string Resolve(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string path, ref int links)
    {
        var root = Path.GetPathRoot(path) ?? "";
        var current = root;
        foreach (var part in path[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                // current has no links left in it, so its parent is the real parent.
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"Too many levels of symbolic links at '{next}'.");
                }

                next = Resolve(Path.IsPathRooted(target) ? target : Path.Join(current, target), ref links);
            }

            current = next;
        }

        return current;
    }
}
