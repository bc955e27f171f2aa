using System.Diagnostics;

namespace Ticketing.Tests.Infrastructure;

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
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{fileName}' is required by this test (apt-get install poppler-utils zbar-tools).", e);
        }
        using var _ = process;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} timed out.");
        }
        process.WaitForExit(); // the output streams are drained once the process has exited
        Assert.True(process.ExitCode == 0, $"{fileName} exited {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        return stdout.GetAwaiter().GetResult();
    }
}
