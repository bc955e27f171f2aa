// Not compiled with the tests: GeneratedClient copies this file next to the client that Kiota generates from the live
// document, builds both, and calls RunAsync. It is the purchase journey as a partner writes it against that client, so a
// change of the contract that breaks partners breaks this build or this journey.
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Partner.Ticketing;
using Partner.Ticketing.Models;

namespace Partner.Journey;

public static class PartnerJourney
{
    /// <summary>
    /// Registers, signs in, finds the event in the catalogue, holds every seat left in the category, pays with the
    /// simulated gateway's approved card, reads the tickets, then tries one more seat. Returns what it saw.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(HttpClient http, string eventTitle, string categoryName,
        string email, string password, CancellationToken ct)
    {
        var seen = new Dictionary<string, string>();
        var baseUrl = http.BaseAddress!.ToString().TrimEnd('/');
        var anonymous = Client(http, baseUrl, new AnonymousAuthenticationProvider());

        var account = await anonymous.Api.Auth.Register.PostAsync(
            new RegisterRequest { Email = email, Password = password, DisplayName = "Partner Buyer", PreferredLanguage = "en" }, cancellationToken: ct);
        seen["register.email"] = account!.Email!;
        seen["register.roles"] = string.Join(",", account.Roles!);

        var token = await anonymous.Api.Auth.Token.PostAsync(new TokenRequest { Email = email, Password = password }, cancellationToken: ct);
        seen["token.type"] = token!.TokenType!;
        var client = Client(http, baseUrl, new BaseBearerTokenAuthenticationProvider(new StaticToken(token.AccessToken!)));

        var me = await client.Api.Me.GetAsync(cancellationToken: ct);
        seen["me.email"] = me!.Email!;

        var events = await client.Api.Events.GetAsync(r => r.QueryParameters.Q = eventTitle, ct);
        var listed = events!.Items!.Single(e => e.Title == eventTitle);
        seen["events.found"] = listed.Title!;
        var detail = await client.Api.Events[listed.Id!.Value].GetAsync(cancellationToken: ct);
        var performance = detail!.Performances!.Single();
        var category = performance.Categories!.Single(c => c.Name == categoryName);
        seen["category.available"] = category.Available!.Value.ToString();

        var hold = await client.Api.Orders.PostAsync(new PlaceOrderRequest
        {
            PerformanceId = performance.Id,
            Items = [new PlaceOrderItem { CategoryId = category.Id, Quantity = category.Available }],
        }, cancellationToken: ct);
        seen["hold.status"] = hold!.Status!;
        seen["hold.total"] = hold.Total!.Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

        var paid = await client.Api.Orders[hold.Id!.Value].Payment.PostAsync(new PayOrderRequest
        {
            CardNumber = "4242424242424242", ExpiryMonth = 12, ExpiryYear = DateTime.UtcNow.Year + 3, Cvc = "123", CardholderName = "Partner Buyer",
        }, cancellationToken: ct);
        seen["pay.status"] = paid!.Status!;
        seen["pay.tickets"] = paid.Tickets!.Count.ToString();

        var tickets = await client.Api.Tickets.GetAsync(cancellationToken: ct);
        seen["tickets.count"] = tickets!.Items!.Count.ToString();
        var ticket = await client.Api.Tickets[tickets.Items[0].Id!.Value].GetAsync(cancellationToken: ct);
        seen["ticket.status"] = ticket!.Status!;
        seen["ticket.hasCode"] = (!string.IsNullOrEmpty(ticket.Code)).ToString();

        try
        {
            await client.Api.Orders.PostAsync(new PlaceOrderRequest
            {
                PerformanceId = performance.Id, Items = [new PlaceOrderItem { CategoryId = category.Id, Quantity = 1 }],
            }, cancellationToken: ct);
            seen["soldOut"] = "held";
        }
        catch (ProblemDetails problem)
        {
            seen["soldOut.status"] = problem.ResponseStatusCode.ToString();
            seen["soldOut.code"] = problem.Code!;
            seen["soldOut.hasTitle"] = (!string.IsNullOrEmpty(problem.Title)).ToString();
        }
        return seen;
    }

    private static TicketingClient Client(HttpClient http, string baseUrl, IAuthenticationProvider auth) =>
        new(new HttpClientRequestAdapter(auth, httpClient: http) { BaseUrl = baseUrl });

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default) => Task.FromResult(token);
    }
}
