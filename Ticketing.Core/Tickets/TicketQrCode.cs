using QRCoder;

namespace Ticketing.Core.Tickets;

/// <summary>QR code matrix for a ticket code (QRCoder, ECC level M, 4-module quiet zone included).</summary>
public static class TicketQrCode
{
    /// <summary>Returns the module matrix: [row, column] true = dark module.</summary>
    public static bool[,] CreateMatrix(string code)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(code, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix;
        var size = rows.Count;
        var matrix = new bool[size, size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                matrix[y, x] = rows[y][x];
            }
        }

        return matrix;
    }

    /// <summary>PNG of the code that PDFsharp accepts (RGBA colours), for callers that want an image.</summary>
    public static byte[] CreatePng(string code, int pixelsPerModule = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(code, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule, [0, 0, 0, 255], [255, 255, 255, 255], drawQuietZones: true);
    }
}
