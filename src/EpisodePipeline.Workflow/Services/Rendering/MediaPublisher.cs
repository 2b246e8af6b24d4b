using System.Runtime.InteropServices;

namespace EpisodePipeline.Services.Rendering;

/// <summary>
/// Puts the episode's media file into its page folder, so the output folder is a complete static site:
/// a hard link where the media and output folders share a file system (no copy, no extra space, and the
/// page keeps working if the original is moved or renamed), else a copy. The file appears whole or not at all.
/// </summary>
public static class MediaPublisher
{
    /// <summary>
    /// Links or copies <paramref name="source"/> to <paramref name="target"/> unless it is there already (same length and time).
    /// A <paramref name="source"/> that is a symbolic link (media found through a link) publishes the file it leads to.
    /// </summary>
    /// <returns>True when the media was hard-linked, false when copied or already in place.</returns>
    public static bool Publish(string source, string target)
    {
        // link(2) on Linux links a symbolic link itself, not its target: the page would hold a link to the original.
        source = File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName ?? source;
        var from = new FileInfo(source);
        var to = new FileInfo(target);
        if (to.Exists && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc)
        {
            return false;
        }

        var temp = Catalog.AtomicFile.TempPathFor(target);
        var linked = TryHardLink(source, temp);
        if (!linked)
        {
            File.Copy(source, temp, overwrite: true);
            File.SetLastWriteTimeUtc(temp, from.LastWriteTimeUtc);
        }

        File.Move(temp, target, overwrite: true);
        return linked;
    }

    private static bool TryHardLink(string source, string link)
    {
        try
        {
            return OperatingSystem.IsWindows() ? CreateHardLinkW(link, source, IntPtr.Zero) : Link(source, link) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code in the whole project.
    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("kernel32.dll", EntryPoint = "CreateHardLinkW", SetLastError = true, CharSet = CharSet.Unicode)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);
}
