using System.Diagnostics;

namespace Ticketing.Tests.Integration.Notifications;

/// <summary>Decodes the QR code of a PDF's first page with the real tools (pdftoppm + zbarimg).</summary>
public static class PdfTools
{
    public static string DecodeQrOnFirstPage(byte[] pdf)
    {
        var dir = Directory.CreateTempSubdirectory("notify-pdf-");
        try
        {
            var pdfPath = Path.Combine(dir.FullName, "tickets.pdf");
            File.WriteAllBytes(pdfPath, pdf);
            var prefix = Path.Combine(dir.FullName, "page1");
            Run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix);
            return Run("zbarimg", "--raw", "-q", prefix + ".png").Trim();
        }
        finally { dir.Delete(recursive: true); }
    }

    private static string Run(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} timed out.");
        }
        Assert.True(process.ExitCode == 0, $"{fileName} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
