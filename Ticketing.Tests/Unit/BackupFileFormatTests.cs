using System.Security.Cryptography;
using System.Text;
using Ticketing.Core.Backups;
using Ticketing.Tests.Infrastructure;
using Xunit;

namespace Ticketing.Tests.Unit;

public sealed class BackupFileFormatTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => _dir.Dispose();

    private async Task<byte[]> EncryptAsync(byte[] content, string provider = "Sqlite", byte[]? key = null)
    {
        using var input = new MemoryStream(content);
        using var output = new MemoryStream();
        await BackupFileFormat.WriteAsync(output, input, provider, Created, key ?? _key, CancellationToken.None);
        return output.ToArray();
    }

    private async Task<(BackupHeader Header, byte[] Plain)> DecryptFileAsync(byte[] encrypted, byte[]? key = null)
    {
        string input = _dir.File(Guid.NewGuid().ToString("N") + ".tbak");
        string output = _dir.File(Guid.NewGuid().ToString("N") + ".plain");
        await File.WriteAllBytesAsync(input, encrypted);
        try
        {
            var header = await BackupFileFormat.DecryptToFileAsync(input, output, key ?? _key, CancellationToken.None);
            return (header, await File.ReadAllBytesAsync(output));
        }
        catch
        {
            Assert.False(File.Exists(output), "no plaintext may be handed over on failure");
            Assert.Empty(Directory.GetFiles(_dir.Path, "*.partial-*"));
            throw;
        }
    }

    private static byte[] Content(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(BackupFileFormat.ChunkSize)]
    [InlineData(BackupFileFormat.ChunkSize + 1)]
    [InlineData(2 * BackupFileFormat.ChunkSize + 12345)]
    public async Task RoundTrip_reproduces_content_and_header(int length)
    {
        byte[] content = Content(length);
        byte[] encrypted = await EncryptAsync(content, "Postgres");

        var (header, plain) = await DecryptFileAsync(encrypted);

        Assert.Equal(content, plain);
        Assert.Equal("Postgres", header.Provider);
        Assert.Equal(Created, header.CreatedAtUtc);
        Assert.Equal(length, header.ContentLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), header.ContentSha256);
        Assert.Equal(1, header.FormatVersion);
    }

    [Fact]
    public async Task File_starts_with_magic_and_version_and_readable_header()
    {
        byte[] encrypted = await EncryptAsync(Content(10));
        Assert.Equal("TBAK"u8.ToArray(), encrypted[..4]);
        Assert.Equal(1, encrypted[4]);
        var header = await BackupFileFormat.ReadHeaderAsync(new MemoryStream(encrypted), CancellationToken.None);
        Assert.Equal("Sqlite", header.Provider);
    }

    [Fact]
    public async Task Plaintext_does_not_appear_in_the_file()
    {
        byte[] secret = Encoding.UTF8.GetBytes("card-holder alice.secret@example.com 4111111111111111 ");
        byte[] content = Enumerable.Repeat(secret, 5000).SelectMany(x => x).ToArray();
        byte[] encrypted = await EncryptAsync(content);
        Assert.Equal(-1, encrypted.AsSpan().IndexOf("alice.secret@example.com"u8));
    }

    [Fact]
    public async Task Wrong_key_is_refused()
    {
        byte[] encrypted = await EncryptAsync(Content(5000));
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(encrypted, RandomNumberGenerator.GetBytes(32)));
        Assert.Contains("wrong key or tampered", ex.Message);
    }

    [Theory]
    [InlineData(20)]       // inside the JSON header
    [InlineData(-1)]       // last byte (tag of final chunk)
    [InlineData(-100)]     // ciphertext
    [InlineData(-17)]      // last ciphertext byte
    public async Task Any_flipped_byte_is_refused(int position)
    {
        byte[] encrypted = await EncryptAsync(Content(5000));
        int index = position >= 0 ? position : encrypted.Length + position;
        encrypted[index] ^= 0x01;
        await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(encrypted));
    }

    [Fact]
    public async Task Every_single_byte_flip_is_refused_for_a_small_file()
    {
        byte[] original = await EncryptAsync(Content(64));
        for (int i = 0; i < original.Length; i++)
        {
            byte[] copy = (byte[])original.Clone();
            copy[i] ^= 0x80;
            using var output = new MemoryStream();
            await Assert.ThrowsAsync<BackupException>(() => BackupFileFormat.DecryptAsync(new MemoryStream(copy), output, _key, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Header_tampering_is_refused_even_when_json_stays_valid()
    {
        byte[] encrypted = await EncryptAsync(Content(100), "Sqlite");
        string text = Encoding.Latin1.GetString(encrypted);
        int at = text.IndexOf("\"Sqlite\"", StringComparison.Ordinal);
        Assert.True(at > 0);
        // "Sqlite" -> "SQLite": still a valid provider name, same length
        encrypted[at + 2] = (byte)'Q';
        encrypted[at + 3] = (byte)'L';
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(encrypted));
        Assert.Contains("tampered", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1000)]
    public async Task Truncated_file_is_refused(int cut)
    {
        byte[] encrypted = await EncryptAsync(Content(3000));
        await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(encrypted[..^cut]));
    }

    [Fact]
    public async Task Dropping_the_final_chunk_is_reported_as_truncation()
    {
        int length = BackupFileFormat.ChunkSize + 100;
        byte[] encrypted = await EncryptAsync(Content(length));
        int lastChunkRecord = 1 + 4 + 100 + 16;
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(encrypted[..^lastChunkRecord]));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public async Task Marking_a_middle_chunk_final_is_refused()
    {
        byte[] encrypted = await EncryptAsync(Content(BackupFileFormat.ChunkSize + 100));
        int firstChunk = encrypted.Length - (1 + 4 + 100 + 16) - (1 + 4 + BackupFileFormat.ChunkSize + 16);
        Assert.Equal(0, encrypted[firstChunk]);
        encrypted[firstChunk] = 1; // claim it is final, drop the rest
        byte[] cut = encrypted[..(encrypted.Length - (1 + 4 + 100 + 16))];
        await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(cut));
    }

    [Fact]
    public async Task Reordered_chunks_are_refused()
    {
        int chunkRecord = 1 + 4 + BackupFileFormat.ChunkSize + 16;
        byte[] encrypted = await EncryptAsync(Content(3 * BackupFileFormat.ChunkSize));
        int firstChunk = encrypted.Length - 3 * chunkRecord;
        byte[] swapped = (byte[])encrypted.Clone();
        Array.Copy(encrypted, firstChunk, swapped, firstChunk + chunkRecord, chunkRecord);
        Array.Copy(encrypted, firstChunk + chunkRecord, swapped, firstChunk, chunkRecord);
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(swapped));
        Assert.Contains("chunk 0", ex.Message);
    }

    [Fact]
    public async Task Appended_data_is_refused()
    {
        byte[] encrypted = await EncryptAsync(Content(100));
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync([.. encrypted, 0]));
        Assert.Contains("after the final chunk", ex.Message);
    }

    [Fact]
    public async Task Unknown_version_is_refused_with_its_number()
    {
        byte[] encrypted = await EncryptAsync(Content(100));
        encrypted[4] = 9;
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(encrypted));
        Assert.Contains("unsupported format version 9", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Non_backup_file_is_refused()
    {
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync(Encoding.UTF8.GetBytes("SQLite format 3\0 hello")));
        Assert.Contains("magic", ex.Message);
        await Assert.ThrowsAsync<BackupException>(() => DecryptFileAsync([]));
    }

    [Fact]
    public void Key_parsing_requires_32_bytes_base64()
    {
        Assert.Throws<BackupException>(() => BackupFileFormat.ParseKey(null));
        Assert.Throws<BackupException>(() => BackupFileFormat.ParseKey("not base64!"));
        Assert.Throws<BackupException>(() => BackupFileFormat.ParseKey(Convert.ToBase64String(new byte[16])));
        Assert.Equal(32, BackupFileFormat.ParseKey(BackupFileFormat.GenerateKey()).Length);
    }
}
