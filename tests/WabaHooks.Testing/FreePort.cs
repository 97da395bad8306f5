using System.Net;
using System.Net.Sockets;

namespace WabaHooks.Testing;

/// <summary>Free TCP ports on the loopback interface, for servers started as separate processes.</summary>
public static class FreePort
{
    /// <summary>Asks the OS for a port that is free now on 127.0.0.1.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
