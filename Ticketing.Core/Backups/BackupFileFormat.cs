using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ticketing.Core.Backups;

/// <summary>
/// The .tbak file format (version 1):
/// <code>
/// prefix:  "TBAK" | version (1 byte) | header length (int32 LE) | header JSON (UTF-8) | base nonce (12 bytes)
/// chunks:  final flag (1 byte, 0|1) | plaintext length (int32 LE) | ciphertext | GCM tag (16 bytes)
/// </code>
/// Each chunk is AES-256-GCM encrypted with nonce = base nonce XOR chunk index (last 8 bytes, big endian) and
/// associated data = SHA-256(prefix) | chunk index (int64 BE) | final flag. Header tampering, reordering,
/// truncation and appended data are therefore all detected. Nothing may follow the final chunk.
/// </summary>
public static class BackupFileFormat
{
    public const int CurrentVersion = 1;
    public const int ChunkSize = 1024 * 1024;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;
    private const int MaxHeaderLength = 64 * 1024;
    private static ReadOnlySpan<byte> Magic => "TBAK"u8;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private sealed class HeaderJson
    {
        public string? Provider { get; set; }
        public DateTimeOffset CreatedAtUtc { get; set; }
        public string? ContentSha256 { get; set; }
        public long ContentLength { get; set; }
    }

    /// <summary>Decodes and checks a base64 AES-256 key.</summary>
    public static byte[] ParseKey(string? base64Key)
    {
        if (string.IsNullOrWhiteSpace(base64Key))
            throw new BackupException("No backup encryption key is configured (Backups:EncryptionKey); refusing to write or read unencrypted backups.");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key.Trim());
        }
        catch (FormatException)
        {
            throw new BackupException("Backups:EncryptionKey is not valid base64.");
        }
        if (key.Length != KeySize)
            throw new BackupException($"Backups:EncryptionKey must be base64 of {KeySize} bytes (got {key.Length}).");
        return key;
    }

    /// <summary>Generates a fresh random key, base64 encoded.</summary>
    public static string GenerateKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize));

    /// <summary>
    /// Encrypts <paramref name="content"/> (must be seekable: it is hashed first, then encrypted) into <paramref name="output"/>.
    /// </summary>
    public static async Task<BackupHeader> WriteAsync(
        Stream output, Stream content, string provider, DateTimeOffset createdAtUtc, byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(content);
        CheckKey(key);
        if (!content.CanSeek)
            throw new ArgumentException("Content stream must be seekable.", nameof(content));

        // Pass 1: checksum and length of the plaintext.
        content.Position = 0;
        var (sha, length) = await HashAsync(content, cancellationToken).ConfigureAwait(false);
        content.Position = 0;

        var header = new BackupHeader(BackupProviders.Normalize(provider), createdAtUtc.ToUniversalTime(), sha, length);
        byte[] headerJson = JsonSerializer.SerializeToUtf8Bytes(new HeaderJson
        {
            Provider = header.Provider,
            CreatedAtUtc = header.CreatedAtUtc,
            ContentSha256 = header.ContentSha256,
            ContentLength = header.ContentLength,
        }, JsonOptions);
        byte[] baseNonce = RandomNumberGenerator.GetBytes(NonceSize);

        byte[] prefix = BuildPrefix(CurrentVersion, headerJson, baseNonce);
        byte[] prefixHash = SHA256.HashData(prefix);
        await output.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);

        // Pass 2: encrypt in chunks, with one chunk of read-ahead to know which one is final.
        using var aes = new AesGcm(key, TagSize);
        using var hash2 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] current = new byte[ChunkSize];
        byte[] next = new byte[ChunkSize];
        byte[] cipher = new byte[ChunkSize];
        byte[] tag = new byte[TagSize];
        byte[] nonce = new byte[NonceSize];
        byte[] aad = new byte[32 + 8 + 1];
        byte[] chunkHeader = new byte[5];
        long total = 0;

        int currentLength = await ReadFullAsync(content, current, cancellationToken).ConfigureAwait(false);
        for (long index = 0; ; index++)
        {
            int nextLength = currentLength == ChunkSize
                ? await ReadFullAsync(content, next, cancellationToken).ConfigureAwait(false)
                : 0;
            bool final = nextLength == 0;

            hash2.AppendData(current, 0, currentLength);
            total += currentLength;
            BuildNonce(baseNonce, index, nonce);
            BuildAad(prefixHash, index, final, aad);
            aes.Encrypt(nonce, current.AsSpan(0, currentLength), cipher.AsSpan(0, currentLength), tag, aad);

            chunkHeader[0] = final ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt32LittleEndian(chunkHeader.AsSpan(1), currentLength);
            await output.WriteAsync(chunkHeader, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(cipher.AsMemory(0, currentLength), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(tag, cancellationToken).ConfigureAwait(false);

            if (final)
                break;
            (current, next) = (next, current);
            currentLength = nextLength;
        }

        CryptographicOperations.ZeroMemory(current);
        CryptographicOperations.ZeroMemory(next);
        if (total != length || Convert.ToHexStringLower(hash2.GetHashAndReset()) != sha)
            throw new BackupException("The database snapshot changed while it was being encrypted.");
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return header;
    }

    /// <summary>Reads only the (unauthenticated until decrypted) header, e.g. for listing. Does not need the key.</summary>
    public static async Task<BackupHeader> ReadHeaderAsync(Stream input, CancellationToken cancellationToken)
    {
        var (header, _, _) = await ReadPrefixAsync(input, cancellationToken).ConfigureAwait(false);
        return header;
    }

    /// <summary>
    /// Decrypts and fully verifies <paramref name="inputPath"/>. The plaintext is written to a temporary file next to
    /// <paramref name="outputPath"/> and moved there only after every tag, the final-chunk marker, the length and the
    /// checksum have been verified. On any failure nothing is left at <paramref name="outputPath"/> and a
    /// <see cref="BackupException"/> is thrown.
    /// </summary>
    public static async Task<BackupHeader> DecryptToFileAsync(string inputPath, string outputPath, byte[] key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        if (!File.Exists(inputPath))
            throw new BackupException($"Backup file not found: {inputPath}");
        string tempPath = outputPath + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            BackupHeader header;
            await using (var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            await using (var output = FileUtil.CreatePrivateFile(tempPath))
            {
                header = await DecryptAsync(input, output, key, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(tempPath, outputPath, overwrite: true);
            return header;
        }
        finally
        {
            FileUtil.TryDelete(tempPath);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="input"/> into <paramref name="output"/>. The output receives plaintext before the whole file is
    /// verified, so callers must discard it when this throws (use <see cref="DecryptToFileAsync"/>).
    /// </summary>
    public static async Task<BackupHeader> DecryptAsync(Stream input, Stream output, byte[] key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        var (header, prefix, baseNonce) = await ReadPrefixAsync(input, cancellationToken).ConfigureAwait(false);
        byte[] prefixHash = SHA256.HashData(prefix);

        using var aes = new AesGcm(key, TagSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunkHeader = new byte[5];
        byte[] cipher = new byte[ChunkSize];
        byte[] plain = new byte[ChunkSize];
        byte[] tag = new byte[TagSize];
        byte[] nonce = new byte[NonceSize];
        byte[] aad = new byte[32 + 8 + 1];
        long total = 0;

        for (long index = 0; ; index++)
        {
            int got = await ReadFullAsync(input, chunkHeader, cancellationToken).ConfigureAwait(false);
            if (got < chunkHeader.Length)
                throw new BackupException(got == 0
                    ? "Backup file is truncated: the final chunk is missing."
                    : "Backup file is truncated (incomplete chunk header).");
            byte flag = chunkHeader[0];
            int length = BinaryPrimitives.ReadInt32LittleEndian(chunkHeader.AsSpan(1));
            if (flag > 1 || length < 0 || length > ChunkSize)
                throw new BackupException($"Backup file is corrupt or tampered (bad chunk header at chunk {index}).");
            bool final = flag == 1;

            if (await ReadFullAsync(input, cipher.AsMemory(0, length), cancellationToken).ConfigureAwait(false) < length
                || await ReadFullAsync(input, tag, cancellationToken).ConfigureAwait(false) < TagSize)
                throw new BackupException("Backup file is truncated (incomplete chunk).");

            BuildNonce(baseNonce, index, nonce);
            BuildAad(prefixHash, index, final, aad);
            try
            {
                aes.Decrypt(nonce, cipher.AsSpan(0, length), tag, plain.AsSpan(0, length), aad);
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new BackupException($"Backup file failed authentication at chunk {index}: wrong key or tampered file.");
            }

            total += length;
            if (total > header.ContentLength)
                throw new BackupException("Backup content is longer than its header says: checksum mismatch.");
            hash.AppendData(plain, 0, length);
            await output.WriteAsync(plain.AsMemory(0, length), cancellationToken).ConfigureAwait(false);

            if (final)
                break;
        }
        CryptographicOperations.ZeroMemory(plain);

        if (await ReadFullAsync(input, new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            throw new BackupException("Backup file is tampered: unexpected data after the final chunk.");
        if (total != header.ContentLength)
            throw new BackupException($"Backup content length mismatch (header says {header.ContentLength}, got {total}): checksum mismatch.");
        if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), header.ContentSha256, StringComparison.OrdinalIgnoreCase))
            throw new BackupException("Backup content checksum mismatch.");
        return header;
    }

    private static async Task<(BackupHeader Header, byte[] Prefix, byte[] BaseNonce)> ReadPrefixAsync(Stream input, CancellationToken ct)
    {
        byte[] fixedPart = new byte[4 + 1 + 4];
        int got = await ReadFullAsync(input, fixedPart, ct).ConfigureAwait(false);
        if (got >= 4 && !fixedPart.AsSpan(0, 4).SequenceEqual(Magic))
            throw new BackupException("Not a Ticketing backup file (bad magic bytes).");
        if (got >= 5 && fixedPart[4] != CurrentVersion)
            throw new BackupException($"Unsupported format version {fixedPart[4]} (this build reads version {CurrentVersion}).");
        if (got < fixedPart.Length)
            throw new BackupException("Backup file is truncated (incomplete header).");

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(5));
        if (headerLength <= 0 || headerLength > MaxHeaderLength)
            throw new BackupException("Backup file header is corrupt or tampered (bad header length).");

        byte[] prefix = new byte[fixedPart.Length + headerLength + NonceSize];
        fixedPart.CopyTo(prefix, 0);
        if (await ReadFullAsync(input, prefix.AsMemory(fixedPart.Length), ct).ConfigureAwait(false) < prefix.Length - fixedPart.Length)
            throw new BackupException("Backup file is truncated (incomplete header).");

        HeaderJson? json;
        try
        {
            json = JsonSerializer.Deserialize<HeaderJson>(prefix.AsSpan(fixedPart.Length, headerLength), JsonOptions);
        }
        catch (JsonException)
        {
            throw new BackupException("Backup file header is corrupt or tampered (invalid JSON).");
        }
        if (json is null || string.IsNullOrEmpty(json.Provider) || string.IsNullOrEmpty(json.ContentSha256) || json.ContentLength < 0)
            throw new BackupException("Backup file header is corrupt or tampered (missing fields).");

        string provider;
        try
        {
            provider = BackupProviders.Normalize(json.Provider);
        }
        catch (BackupException)
        {
            throw new BackupException("Backup file header is corrupt or tampered (unknown provider).");
        }

        var header = new BackupHeader(provider, json.CreatedAtUtc, json.ContentSha256, json.ContentLength) { FormatVersion = fixedPart[4] };
        byte[] baseNonce = prefix.AsSpan(prefix.Length - NonceSize).ToArray();
        return (header, prefix, baseNonce);
    }

    private static byte[] BuildPrefix(int version, byte[] headerJson, byte[] baseNonce)
    {
        byte[] prefix = new byte[4 + 1 + 4 + headerJson.Length + NonceSize];
        Magic.CopyTo(prefix);
        prefix[4] = (byte)version;
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(5), headerJson.Length);
        headerJson.CopyTo(prefix, 9);
        baseNonce.CopyTo(prefix, 9 + headerJson.Length);
        return prefix;
    }

    private static void BuildNonce(byte[] baseNonce, long index, byte[] nonce)
    {
        baseNonce.CopyTo(nonce, 0);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, index);
        for (int i = 0; i < 8; i++)
            nonce[NonceSize - 8 + i] ^= counter[i];
    }

    private static void BuildAad(byte[] prefixHash, long index, bool final, byte[] aad)
    {
        prefixHash.CopyTo(aad, 0);
        BinaryPrimitives.WriteInt64BigEndian(aad.AsSpan(32), index);
        aad[40] = final ? (byte)1 : (byte)0;
    }

    private static void CheckKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeySize)
            throw new BackupException($"Backup encryption key must be {KeySize} bytes.");
    }

    private static async Task<(string Sha, long Length)> HashAsync(Stream content, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[ChunkSize];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        CryptographicOperations.ZeroMemory(buffer);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private static async Task<int> ReadFullAsync(Stream stream, Memory<byte> buffer, CancellationToken ct) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
}

internal static class FileUtil
{
    /// <summary>Creates a new file readable only by the current user (on Unix).</summary>
    public static FileStream CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 81920,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }

    public static void CreatePrivateEmptyFile(string path)
    {
        using (CreatePrivateFile(path)) { }
    }

    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
                File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
