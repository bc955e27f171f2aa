using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Ticketing.Core.Notifications;

public interface IEmailSender
{
    /// <summary>Sends the message or throws: <see cref="PermanentDeliveryException"/> when retrying cannot help.</summary>
    Task SendAsync(MimeMessage message, Guid notificationId, CancellationToken ct);
}

/// <summary>
/// MailKit over SMTP (<c>Email:Smtp:*</c>), with connect/command timeouts; with no host configured, writes each mail as
/// an .eml file under <c>App_Data/mail/</c> (named after the notification, so a resend overwrites instead of duplicating).
/// </summary>
public sealed class MailKitEmailSender(IOptions<SmtpOptions> options, ContentRootPath contentRoot, ILogger<MailKitEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(MimeMessage message, Guid notificationId, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            await WritePickupFileAsync(message, notificationId, o, ct);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds * 3));
        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        // Without UseTls, TLS is still used whenever the server offers STARTTLS (never a clear-text password by choice).
        var security = !o.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : o.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        try
        {
            await client.ConnectAsync(o.Host, o.Port, security, timeout.Token);
            if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password ?? "", timeout.Token);
            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(true, timeout.Token);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted)
        {
            // 5xx on a mailbox: the server will never accept it.
            throw new PermanentDeliveryException($"SMTP {(int)e.StatusCode}: {e.ErrorCode}", e);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"SMTP server {o.Host}:{o.Port} did not answer within {o.TimeoutSeconds * 3} s.");
        }
    }

    private async Task WritePickupFileAsync(MimeMessage message, Guid notificationId, SmtpOptions o, CancellationToken ct)
    {
        var dir = Path.IsPathRooted(o.PickupDirectory) ? o.PickupDirectory : Path.Combine(contentRoot.Path, o.PickupDirectory);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{notificationId:N}.eml");
        var temp = path + ".tmp";
        await message.WriteToAsync(temp, ct);
        File.Move(temp, path, overwrite: true);
        logger.LogInformation("No SMTP host configured: mail for notification {NotificationId} written to {Path}", notificationId, path);
    }
}

/// <summary>The host's content root (App_Data lives under it).</summary>
public sealed record ContentRootPath(string Path);
