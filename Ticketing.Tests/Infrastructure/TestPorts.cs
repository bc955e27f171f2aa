using System.Net;
using System.Net.Sockets;

namespace Ticketing.Tests.Infrastructure;

public static class TestPorts
{
    /// <summary>A loopback port free right now (callers that bind later retry on the rare race).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
