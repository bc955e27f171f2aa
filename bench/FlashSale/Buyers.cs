using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using NpgsqlTypes;

namespace Ticketing.Bench.FlashSale;

/// <param name="Stamp">The security stamp written for the buyer: its token carries the hash the app checks on every request.</param>
public sealed record Buyer(Guid Id, string Email, string DisplayName, string Token, string Stamp);

/// <summary>
/// Registers the buyers before the clock starts: rows inserted straight into AspNetUsers/AspNetUserRoles with ONE
/// precomputed bcrypt hash (no per-buyer hashing), and bearer tokens minted with the app's signing key, carrying the
/// same claims as <c>TokenService.Mint</c>.
/// </summary>
public static class Buyers
{
    public const string Password = "Flash-Sale-Buyer-2026";

    public static async Task<IReadOnlyList<Buyer>> RegisterAsync(FlashSaleOptions o, string runId, CancellationToken ct = default)
    {
        // One hash for everyone (cost 4: these accounts only exist for the run; nobody signs in with them).
        var hash = BCrypt.Net.BCrypt.EnhancedHashPassword(Password, 4);
        var now = DateTimeOffset.UtcNow;
        var buyers = new List<Buyer>(o.Buyers);
        for (var i = 0; i < o.Buyers; i++)
        {
            var id = Guid.CreateVersion7();
            var email = $"fan{i:D6}-{runId}@flash.test";
            buyers.Add(new Buyer(id, email, $"Fan {i:D6}", "", Guid.NewGuid().ToString("N").ToUpperInvariant()));
        }

        if (o.Database == DatabaseKind.Sqlite) await InsertSqliteAsync(o.ConnectionString, buyers, hash, now, ct);
        else await InsertPostgresAsync(o.ConnectionString, buyers, hash, now, ct);

        var key = new SymmetricSecurityKey(o.JwtSigningKey) { KeyId = "ticketing-1" };
        var credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        var handler = new JsonWebTokenHandler();
        var issued = DateTime.UtcNow;
        return buyers.Select(b => b with { Token = Mint(handler, credentials, o, b, issued) }).ToList();
    }

    private static string Mint(JsonWebTokenHandler handler, SigningCredentials credentials, FlashSaleOptions o, Buyer b, DateTime now) =>
        handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, b.Id.ToString()),
                new Claim(ClaimTypes.NameIdentifier, b.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Email, b.Email),
                new Claim(ClaimTypes.Name, b.DisplayName),
                new Claim("lang", "en"),
                new Claim(ClaimTypes.Role, "Customer"),
                new Claim(Ticketing.Core.Accounts.TokenService.StampClaim, Ticketing.Core.Accounts.AccountStampCache.Hash(b.Stamp)),
            ]),
            Issuer = o.JwtIssuer,
            Audience = o.JwtAudience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddHours(4),
            SigningCredentials = credentials,
        });

    // EF Core stores SQLite GUIDs as upper-case TEXT and DateTimeOffset as UTC ticks (UtcTicksConverter).
    internal static string SqliteGuid(Guid id) => id.ToString().ToUpperInvariant();

    private static async Task InsertSqliteAsync(string cs, List<Buyer> buyers, string hash, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = new SqliteConnection(cs);
        await c.OpenAsync(ct);
        await using (var pragma = c.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=10000;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        var roleId = await ScalarAsync(c, "SELECT \"Id\" FROM \"AspNetRoles\" WHERE \"NormalizedName\" = 'CUSTOMER'", ct)
                     ?? throw new InvalidOperationException("The Customer role does not exist: is the app started on this database?");
        await using var tx = c.BeginTransaction();
        await using var user = c.CreateCommand();
        user.Transaction = tx;
        user.CommandText = """
            INSERT INTO "AspNetUsers" ("Id","DisplayName","PreferredLanguage","NotificationChannel","CreatedAt","DeletedAt","UserName",
              "NormalizedUserName","Email","NormalizedEmail","EmailConfirmed","PasswordHash","SecurityStamp","ConcurrencyStamp","PhoneNumber",
              "PhoneNumberConfirmed","TwoFactorEnabled","LockoutEnd","LockoutEnabled","AccessFailedCount")
            VALUES ($id,$name,'en','Email',$created,NULL,$email,$norm,$email,$norm,1,$hash,$stamp,$cstamp,NULL,0,0,NULL,1,0)
            """;
        var pId = user.Parameters.Add("$id", SqliteType.Text);
        var pName = user.Parameters.Add("$name", SqliteType.Text);
        var pEmail = user.Parameters.Add("$email", SqliteType.Text);
        var pNorm = user.Parameters.Add("$norm", SqliteType.Text);
        var pStamp = user.Parameters.Add("$stamp", SqliteType.Text);
        var pCStamp = user.Parameters.Add("$cstamp", SqliteType.Text);
        user.Parameters.AddWithValue("$created", now.UtcTicks);
        user.Parameters.AddWithValue("$hash", hash);
        await using var role = c.CreateCommand();
        role.Transaction = tx;
        role.CommandText = "INSERT INTO \"AspNetUserRoles\" (\"UserId\",\"RoleId\") VALUES ($u,$r)";
        var pUser = role.Parameters.Add("$u", SqliteType.Text);
        role.Parameters.AddWithValue("$r", roleId);
        foreach (var b in buyers)
        {
            pId.Value = SqliteGuid(b.Id);
            pName.Value = b.DisplayName;
            pEmail.Value = b.Email;
            pNorm.Value = b.Email.ToUpperInvariant();
            pStamp.Value = b.Stamp;
            pCStamp.Value = Guid.NewGuid().ToString();
            await user.ExecuteNonQueryAsync(ct);
            pUser.Value = SqliteGuid(b.Id);
            await role.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task<string?> ScalarAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (await cmd.ExecuteScalarAsync(ct))?.ToString();
    }

    private static async Task InsertPostgresAsync(string cs, List<Buyer> buyers, string hash, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync(ct);
        Guid roleId;
        await using (var q = new NpgsqlCommand("SELECT \"Id\" FROM \"AspNetRoles\" WHERE \"NormalizedName\" = 'CUSTOMER'", c))
            roleId = (Guid)(await q.ExecuteScalarAsync(ct)
                            ?? throw new InvalidOperationException("The Customer role does not exist: is the app started on this database?"));
        await using var tx = await c.BeginTransactionAsync(ct);
        await using (var w = await c.BeginBinaryImportAsync("""
            COPY "AspNetUsers" ("Id","DisplayName","PreferredLanguage","NotificationChannel","CreatedAt","UserName","NormalizedUserName",
              "Email","NormalizedEmail","EmailConfirmed","PasswordHash","SecurityStamp","ConcurrencyStamp","PhoneNumberConfirmed",
              "TwoFactorEnabled","LockoutEnabled","AccessFailedCount") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var b in buyers)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(b.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(b.DisplayName, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync("en", NpgsqlDbType.Varchar, ct);
                await w.WriteAsync("Email", NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(b.Email, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(b.Email.ToUpperInvariant(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(b.Email, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(b.Email.ToUpperInvariant(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(hash, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(b.Stamp, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(0, NpgsqlDbType.Integer, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await c.BeginBinaryImportAsync("COPY \"AspNetUserRoles\" (\"UserId\",\"RoleId\") FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var b in buyers)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(b.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(roleId, NpgsqlDbType.Uuid, ct);
            }
            await w.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
