using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ticketing.Web.Hosting;

/// <summary>One line per tag of the API (the groups of the Swagger UI). A new tag without a line here fails the lint test.</summary>
public sealed class OpenApiTagDescriptions : IDocumentFilter
{
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["Authentication"] = "Register, exchange credentials for a bearer token, and read or update the signed-in account.",
        ["Events"] = "The public catalogue, and for organizers: creating, publishing and cancelling events, sales and attendees.",
        ["Orders"] = "The purchase: hold seats, pay by card, release or refund an order, follow its notifications.",
        ["Tickets"] = "Own tickets, their signed codes, QR codes and PDFs, and the check-in at the door.",
        ["Door devices"] = "Scanners an organizer lets in at one event's door: their tokens, the offline bundle and the sync of offline scans.",
        ["Users"] = "User management for Admins.",
        ["Notifications"] = "The outbox of mails and texts for Admins.",
        ["Diagnostics"] = "Liveness probes.",
        ["Payments"] = "Signed webhooks from the payment provider that settle hosted payments.",
        ["Receipts"] = "Receipts and credit notes (numbered gapless per organizer and year, with their VAT breakdown) and the accounting export.",
        ["Performances"] = "One date of an event: its live availability (cached, for badges).",
        ["Waiting room"] = "The virtual queue of a big on-sale: join, follow your place, the verifiable draw, and the organizer's settings.",
        ["Waiting list"] = "Waiting lists of sold-out categories: join with a quantity, see your place, returned seats offered in order.",
        ["Resale"] = "Face-value resale: a holder lists a ticket at most at what they paid, another fan buys it through the normal checkout, the code is re-issued and the seller refunded.",
        ["Webhooks"] = "An organizer's endpoints for integrations: signed order.paid, order.refunded and ticket.checked_in deliveries, retried with backoff.",
        ["Codes"] = "Presale access codes and promo codes of an event, typed by fans at checkout (accessCode, promoCode on POST /api/orders).",
        ["Guest checkout"] = "Buying without an account: hold and pay with an e-mail address, then reach the order through the signed link sent by mail.",
        ["Seating"] = "Reserved seating: seating plans (create, import, export, generate blocks of rows) and a performance's seat map.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var used = swaggerDoc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().ToHashSet();
        swaggerDoc.Tags = new HashSet<OpenApiTag>(used.Order(StringComparer.Ordinal).Select(name => new OpenApiTag
        {
            Name = name, Description = Descriptions.GetValueOrDefault(name),
        }));
    }
}
