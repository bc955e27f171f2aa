using System.Text.RegularExpressions;

namespace Ticketing.Core.Events;

public sealed record ImageKind(string Extension, string ContentType);

/// <summary>Recognises an image by its first bytes, never by its name or the client's content type.</summary>
public static class ImageSniffer
{
    public static readonly ImageKind Png = new(".png", "image/png");
    public static readonly ImageKind Jpeg = new(".jpg", "image/jpeg");
    public static readonly ImageKind Gif = new(".gif", "image/gif");
    public static readonly ImageKind Webp = new(".webp", "image/webp");

    public static ImageKind? Detect(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return Png;
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Jpeg;
        if (b.Length >= 6 && (b[..6].SequenceEqual("GIF87a"u8) || b[..6].SequenceEqual("GIF89a"u8))) return Gif;
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return Webp;
        return null;
    }

    public static ImageKind? FromExtension(string extension) => extension.ToLowerInvariant() switch
    {
        ".png" => Png, ".jpg" => Jpeg, ".gif" => Gif, ".webp" => Webp, _ => null,
    };
}

/// <summary>
/// Uploaded event posters under <c>App_Data/uploads/events/</c> with random names, served by <c>/media/events/{file}</c>.
/// A name that is not exactly one of ours is never opened (no path tricks).
/// </summary>
public sealed partial class EventImageStore(string rootDirectory)
{
    public const string UrlPrefix = "/media/events/";

    public string Directory { get; } = Path.Combine(rootDirectory, "events");

    public async Task<string> SaveAsync(byte[] bytes, ImageKind kind, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = Guid.NewGuid().ToString("N") + kind.Extension;
        var tmp = Path.Combine(Directory, name + ".tmp");
        await File.WriteAllBytesAsync(tmp, bytes, ct);
        File.Move(tmp, Path.Combine(Directory, name));
        return UrlPrefix + name;
    }

    /// <summary>The file and its content type, or null when the name is not a stored poster.</summary>
    public (string Path, string ContentType)? Open(string fileName)
    {
        if (!FileNameRegex().IsMatch(fileName)) return null;
        var kind = ImageSniffer.FromExtension(Path.GetExtension(fileName));
        var path = Path.Combine(Directory, fileName);
        return kind is null || !File.Exists(path) ? null : (path, kind.ContentType);
    }

    public void DeleteIfUploaded(string? url)
    {
        if (url is null || !url.StartsWith(UrlPrefix, StringComparison.Ordinal)) return;
        var name = url[UrlPrefix.Length..];
        if (!FileNameRegex().IsMatch(name)) return;
        try { File.Delete(Path.Combine(Directory, name)); }
        catch (IOException) { /* an orphan poster is harmless */ }
    }

    [GeneratedRegex("^[0-9a-f]{32}\\.(png|jpg|gif|webp)$")] private static partial Regex FileNameRegex();
}
