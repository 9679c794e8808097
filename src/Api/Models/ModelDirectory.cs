namespace ServeNet.Api.Models;

/// <summary>Resolves the configured models folder to an absolute path.</summary>
public static class ModelDirectory
{
    /// <summary>
    /// An absolute path as given. A relative one from the current directory if it exists there, else
    /// from the nearest folder above the application's base directory that has it (bin/Debug/net10.0
    /// sits three levels below the project, four below the repository root), else from the current
    /// directory, where it may appear later.
    /// </summary>
    public static string Resolve(string configured)
    {
        if (Path.IsPathRooted(configured)) return Path.GetFullPath(configured);
        string fromCurrent = Path.GetFullPath(configured);
        if (Directory.Exists(fromCurrent)) return fromCurrent;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, configured);
            if (Directory.Exists(candidate)) return candidate;
        }
        return fromCurrent;
    }
}
