using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>The app on its own SQLite file with every log line captured (all levels), to look for card data.</summary>
public sealed class CardScanApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    public ConcurrentQueue<string> Logs { get; } = new();
    public string DatabaseFile => Path.Combine(ContentRoot, "ticketing.db");

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new QueueLoggerProvider(Logs)));
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(sink, categoryName);
        public void Dispose() { }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull { sink.Enqueue("scope " + state); return null; }
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> kvs ? string.Join(", ", kvs.Select(kv => kv.Key + "=" + kv.Value)) : "";
            sink.Enqueue($"{category} {logLevel}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

public sealed class CardDataNeverStoredTests(CardScanApp app) : IClassFixture<CardScanApp>
{
    private const string Cvc = "9317";
    private static readonly string[] Numbers = ["4242424242424242", "4000000000000002", "5555555555554444"];

    [Fact]
    public async Task CardNumbersAndCvcs_AreNeverWrittenToTheDatabaseFileOrTheLogs()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("4000 0000 0000 0002", Cvc))).AssertProblemAsync(HttpStatusCode.PaymentRequired, "card_declined");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{id}/payment") { Content = JsonContent.Create(Card("5555555555554444", Cvc)) };
        request.Headers.Add("Idempotency-Key", "scan-key");
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("4242424242424242", Cvc))).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_payable");

        AssertNoCardDataStoredOrLogged("Mastercard", "4444");
    }

    /// <summary>The hosted flow: the simulated provider's page takes the card (a form POST), charges, and signs a webhook.</summary>
    [Fact]
    public async Task HostedPage_CardNumbersAndCvcs_AreNeverWrittenToTheDatabaseFileOrTheLogs()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        var checkout = await (await client.PostAsync($"/api/orders/{id}/checkout", null)).ReadJsonAsync();
        var path = new Uri(checkout.GetProperty("redirectUrl").GetString()!).AbsolutePath;
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        async Task<HttpResponseMessage> SubmitAsync(string number)
        {
            var html = await browser.GetStringAsync(path);
            var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            return await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "simpay-card", ["__RequestVerificationToken"] = token,
                ["Card.Number"] = number, ["Card.Expiry"] = "12/34", ["Card.Cvc"] = Cvc, ["Card.Name"] = "Lou Buyer",
            }));
        }

        var declined = await SubmitAsync("4000 0000 0000 0002");
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.DoesNotContain(Numbers[1], await declined.Content.ReadAsStringAsync()); // never rendered back
        var paid = await SubmitAsync("5555555555554444");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.EndsWith($"/checkout/{id}/complete", paid.Headers.Location!.ToString());
        // The signed webhook went through the endpoint before the redirect.
        var order = await (await client.GetAsync($"/api/orders/{id}")).ReadJsonAsync();
        Assert.Equal("Paid", order.GetProperty("status").GetString());

        AssertNoCardDataStoredOrLogged("Mastercard", "4444");
    }

    private void AssertNoCardDataStoredOrLogged(string brand, string last4)
    {
        SqliteConnection.ClearAllPools();
        var files = new[] { app.DatabaseFile, app.DatabaseFile + "-wal" }.Where(File.Exists).ToList();
        Assert.NotEmpty(files);
        var database = string.Concat(files.Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        var logs = string.Join("\n", app.Logs);
        Assert.Contains(brand, database); // the scan does see what is stored: brand and last four digits
        Assert.Contains(last4, database);
        foreach (var text in new[] { database, logs })
        {
            foreach (var number in Numbers)
            {
                Assert.DoesNotContain(number, text);
                Assert.DoesNotContain(Spaced(number), text);
            }
            Assert.DoesNotMatch(new Regex($"(?<![0-9A-Za-z]){Cvc}(?![0-9A-Za-z])"), text);
            Assert.DoesNotContain(Encoding.Latin1.GetString(Encoding.Unicode.GetBytes(Numbers[2])), text); // UTF-16 too
        }
    }

    private static string Spaced(string number) => string.Join(' ', number.Chunk(4).Select(c => new string(c)));
}
