using System.Text.RegularExpressions;
using MimeKit;

namespace Ticketing.Tests.EndToEnd;

/// <summary>The account mails the published app's outbox job writes as .eml files under App_Data/mail (no SMTP host).</summary>
public static class MailedLinks
{
    /// <summary>
    /// The path and query of the first link matching <paramref name="pattern"/> in a mail to <paramref name="email"/>
    /// whose subject is <paramref name="subject"/> (when given), skipping <paramref name="seen"/> links.
    /// </summary>
    public static async Task<string> WaitForLinkAsync(PublishedApp app, string email, Regex pattern, ISet<string>? seen = null)
    {
        var dir = Path.Combine(app.ContentRoot, "App_Data", "mail");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(dir))
            {
                foreach (var file in Directory.GetFiles(dir, "*.eml"))
                {
                    MimeMessage mail;
                    try { mail = await MimeMessage.LoadAsync(file); }
                    catch (IOException) { continue; } // still being written
                    if (mail.To.Mailboxes.All(m => !m.Address.Equals(email, StringComparison.OrdinalIgnoreCase))) continue;
                    var match = pattern.Match(mail.TextBody ?? "");
                    if (!match.Success) continue; // another mail to the same address
                    var url = match.Value.StartsWith('/') ? match.Value : new Uri(match.Value).PathAndQuery;
                    if (seen is not null && !seen.Add(url)) continue;
                    return url;
                }
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"No mail to {email} with a link like {pattern} in {dir} within 90 s:\n{app.Log}");
    }

    /// <summary>True once a mail to <paramref name="email"/> with this subject has been written.</summary>
    public static async Task<MimeMessage> WaitForMailAsync(PublishedApp app, string email, string subject)
    {
        var dir = Path.Combine(app.ContentRoot, "App_Data", "mail");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(dir))
            {
                foreach (var file in Directory.GetFiles(dir, "*.eml"))
                {
                    MimeMessage mail;
                    try { mail = await MimeMessage.LoadAsync(file); }
                    catch (IOException) { continue; }
                    if (mail.Subject == subject && mail.To.Mailboxes.Any(m => m.Address.Equals(email, StringComparison.OrdinalIgnoreCase)))
                        return mail;
                }
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"No mail \"{subject}\" to {email} in {dir} within 90 s:\n{app.Log}");
    }
}
