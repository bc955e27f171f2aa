using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Storage;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;
using ServerReplyCode = SmtpServer.Protocol.SmtpReplyCode;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback socket (the SmtpServer package, in-process). It can be stopped (connection refused)
/// and started again on the same port, or told to refuse messages with a transient 451. Recipients at
/// <see cref="RejectedDomain"/> are refused with 550.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    public const string RejectedDomain = "rejected.example.com";

    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly ConcurrentQueue<DateTimeOffset> _receivedAt = new();
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _cts;
    private Task? _running;

    public int Port { get; } = TestPorts.Free();
    public IReadOnlyCollection<MimeMessage> Messages => _messages;

    /// <summary>When each message was received (wall clock), in the order of <see cref="Messages"/>.</summary>
    public IReadOnlyList<DateTimeOffset> ReceivedAt => _receivedAt.ToArray();
    /// <summary>When true, the server answers 451 to every message (a transient refusal).</summary>
    public bool Refusing { get; set; }

    public void Clear()
    {
        _messages.Clear();
        _receivedAt.Clear();
    }

    public async Task StartAsync()
    {
        if (_server is not null) return;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter());
        _server = new SmtpServer.SmtpServer(options, services);
        _cts = new CancellationTokenSource();
        _running = _server.StartAsync(_cts.Token);
        // Wait until the socket accepts connections.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { await Task.Delay(20); }
        }
        throw new InvalidOperationException("The test SMTP server did not start.");
    }

    public async Task StopAsync()
    {
        if (_server is null) return;
        _server.Shutdown();
        await _cts!.CancelAsync();
        try { await _running!; } catch (OperationCanceledException) { }
        try { await _server.ShutdownTask; } catch (OperationCanceledException) { }
        _cts.Dispose();
        _server = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();


    private sealed class Store(TestSmtpServer owner) : MessageStore
    {
        public override Task<ServerResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.Refusing)
                return Task.FromResult(new ServerResponse((ServerReplyCode)451, "Requested action aborted: try again later"));
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream);
            lock (owner._messages)
            {
                owner._messages.Enqueue(message);
                owner._receivedAt.Enqueue(DateTimeOffset.UtcNow);
            }
            return Task.FromResult(ServerResponse.Ok);
        }
    }

    private sealed class Filter : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!string.Equals(to.Host, RejectedDomain, StringComparison.OrdinalIgnoreCase));
    }
}
