using System.Reflection;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Ticketing.Core.Tickets;

/// <summary>
/// PDFsharp font resolver serving the DejaVu Sans fonts embedded in this assembly, so ticket PDFs
/// render the same everywhere (no system fonts needed, covers é è ç € « » and friends).
/// </summary>
public sealed class TicketPdfFontResolver : IFontResolver
{
    /// <summary>Family name the renderer asks for.</summary>
    public const string FamilyName = "DejaVu Sans";

    private const string RegularFace = "TicketingDejaVuSans";
    private const string BoldFace = "TicketingDejaVuSans-Bold";
    private const string RegularFile = "DejaVuSans.ttf";
    private const string BoldFile = "DejaVuSans-Bold.ttf";

    private static readonly Lazy<byte[]> Regular = new(() => LoadEmbeddedFont(RegularFile), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<byte[]> Bold = new(() => LoadEmbeddedFont(BoldFile), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<XGlyphTypeface> RegularTypeface = new(() => new XGlyphTypeface(XFontSource.GetOrCreateFrom(Regular.Value)), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<XGlyphTypeface> BoldTypeface = new(() => new XGlyphTypeface(XFontSource.GetOrCreateFrom(Bold.Value)), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lock RegistrationLock = new();
    private static volatile bool registered;
    private static volatile bool useTypefacesDirectly;

    private readonly IFontResolver? inner;

    public TicketPdfFontResolver()
    {
    }

    /// <summary>Wraps a resolver that was already installed: families other than ours go to it.</summary>
    public TicketPdfFontResolver(IFontResolver? inner)
    {
        this.inner = inner is TicketPdfFontResolver ? null : inner;
    }

    /// <summary>
    /// Installs the resolver once per process. Thread-safe and idempotent. If another resolver was
    /// already installed it is wrapped (or, if PDFsharp no longer allows a change, ours becomes the
    /// fallback resolver); it never throws because of a resolver that is already set.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (registered)
        {
            return;
        }

        lock (RegistrationLock)
        {
            if (registered)
            {
                return;
            }

            var current = GlobalFontSettings.FontResolver;
            if (current is not TicketPdfFontResolver && !Resolves(current))
            {
                try
                {
                    GlobalFontSettings.FontResolver = new TicketPdfFontResolver(current);
                }
                catch (InvalidOperationException)
                {
                    // Fonts were already used with another resolver: PDFsharp forbids replacing it.
                    TrySetFallback();
                }
            }

            // Only if another resolver was already in use and cannot serve our family: bypass resolvers.
            useTypefacesDirectly = GlobalFontSettings.FontResolver is not TicketPdfFontResolver
                && GlobalFontSettings.FallbackFontResolver is not TicketPdfFontResolver
                && !Resolves(GlobalFontSettings.FontResolver);
            registered = true;
        }
    }

    /// <summary>Creates a DejaVu Sans font (regular or bold) for drawing; registers the resolver first.</summary>
    public static XFont CreateFont(double emSize, bool bold)
    {
        EnsureRegistered();
        if (useTypefacesDirectly)
        {
            var typeface = bold ? BoldTypeface.Value : RegularTypeface.Value;
            return new XFont(typeface, emSize, new XPdfFontOptions(PdfFontEncoding.Unicode), null);
        }

        return new XFont(FamilyName, emSize, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular,
            new XPdfFontOptions(PdfFontEncoding.Unicode));
    }

    private static bool Resolves(IFontResolver? resolver)
    {
        if (resolver is null)
        {
            return false;
        }

        try
        {
            return resolver.ResolveTypeface(FamilyName, false, false) is not null
                && resolver.ResolveTypeface(FamilyName, true, false) is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static void TrySetFallback()
    {
        var fallback = GlobalFontSettings.FallbackFontResolver;
        if (fallback is TicketPdfFontResolver)
        {
            return;
        }

        try
        {
            GlobalFontSettings.FallbackFontResolver = new TicketPdfFontResolver(fallback);
        }
        catch (InvalidOperationException)
        {
            // Nothing more can be done; the installed resolver will be asked for "DejaVu Sans".
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (IsOurFamily(familyName))
        {
            // No italic face is shipped: PDFsharp simulates italics if ever asked.
            return new FontResolverInfo(bold ? BoldFace : RegularFace, false, italic);
        }

        return inner?.ResolveTypeface(familyName, bold, italic);
    }

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => Regular.Value,
        BoldFace => Bold.Value,
        _ => inner?.GetFont(faceName),
    };

    private static bool IsOurFamily(string familyName) =>
        string.Equals(familyName, FamilyName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(familyName, "DejaVuSans", StringComparison.OrdinalIgnoreCase);

    internal static byte[] LoadEmbeddedFont(string fileName)
    {
        var assembly = typeof(TicketPdfFontResolver).Assembly;
        // Manifest names depend on RootNamespace/LogicalName: match on the file name suffix.
        var resourceName = assembly.GetManifestResourceNames()
            .Where(n => n.Equals(fileName, StringComparison.OrdinalIgnoreCase)
                || n.EndsWith("." + fileName, StringComparison.OrdinalIgnoreCase)
                || n.EndsWith("/" + fileName, StringComparison.OrdinalIgnoreCase)
                || n.EndsWith("\\" + fileName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => n.Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"Embedded font '{fileName}' not found in {assembly.GetName().Name}. " +
                "Add it as <EmbeddedResource> (Tickets/Fonts/*.ttf).");

        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded font stream '{resourceName}' could not be opened.");
        using var buffer = new MemoryStream(capacity: (int)Math.Max(0, stream.Length));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
