using System.Buffers;
using System.Net;
using System.Text;
using SmtpServer;
using SmtpServer.Storage;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;

namespace Ticketing.Tests.Infrastructure;

/// <summary>A real SMTP server on a localhost socket (SmtpServer package) that keeps every message it accepts.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Store _store = new();
    private readonly Task _running;

    public int Port { get; }

    public sealed record Message(IReadOnlyList<string> To, string From, string Raw);

    public SmtpSink()
    {
        Port = TestPorts.Free();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public IReadOnlyList<Message> Messages => _store.Snapshot();

    public IReadOnlyList<Message> MessagesTo(string address) =>
        Messages.Where(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        private readonly List<Message> _messages = new();

        public IReadOnlyList<Message> Snapshot() { lock (_messages) return _messages.ToList(); }

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var message = new Message(
                transaction.To.Select(m => $"{m.User}@{m.Host}").ToList(),
                $"{transaction.From.User}@{transaction.From.Host}",
                Encoding.UTF8.GetString(buffer.ToArray()));
            lock (_messages) _messages.Add(message);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
