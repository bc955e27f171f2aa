using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Ticketing.Core.Common;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Notifications;

/// <summary>
/// The string a ticket's QR code carries (its signed code). The purchase feature owns ticket signing: when it
/// registers its own implementation before <see cref="NotificationServiceCollectionExtensions.AddTicketingNotifications"/>
/// runs, that one is used; this HMAC-SHA256 default (key <c>Tickets:SigningKey</c>, else generated and persisted) only
/// keeps this feature self-contained.
/// </summary>
public interface ITicketCodeSource
{
    ValueTask<string> GetCodeAsync(Ticket ticket, CancellationToken ct = default);
}

public sealed class HmacTicketCodeSource(SecretStore secrets, IConfiguration configuration) : ITicketCodeSource
{
    public const string SecretName = "ticket-signing-key";

    public async ValueTask<string> GetCodeAsync(Ticket ticket, CancellationToken ct = default)
    {
        var key = await secrets.GetOrCreateKeyAsync(SecretName, configuration["Tickets:SigningKey"], 32, ct);
        var payload = $"{ticket.Id:N}.{ticket.Number}";
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload));
        return $"T1.{payload}.{Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
    }
}
