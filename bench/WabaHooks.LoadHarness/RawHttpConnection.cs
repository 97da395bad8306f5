using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WabaHooks.LoadHarness;

/// <summary>
/// One keep-alive HTTP/1.1 connection that posts a prepared request and reads the answer's status, nothing more: a
/// client cheap enough to share two cores with the server it measures (no header collections, no content streams, no
/// thread pool: blocking calls on the caller's own thread, which the kernel wakes when the answer arrives — a pool
/// worker would spin between requests, CPU taken from the server).
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly EndPoint _endPoint;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;

    public RawHttpConnection(EndPoint endPoint) => _endPoint = endPoint;

    /// <summary>The bytes of one POST with a body and its signature.</summary>
    public static byte[] Request(Uri callback, byte[] body, string signature)
    {
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST {callback.AbsolutePath} HTTP/1.1\r\nHost: {callback.Authority}\r\nContent-Type: application/json\r\nX-Hub-Signature-256: {signature}\r\nContent-Length: {body.Length}\r\n\r\n"));
        var request = new byte[head.Length + body.Length];
        head.CopyTo(request, 0);
        body.CopyTo(request, head.Length);
        return request;
    }

    public void Connect()
    {
        _socket?.Dispose();
        _socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(_endPoint);
    }

    /// <summary>Sends the request and reads the whole answer; returns its status code. Reconnects once if the server had closed an idle connection.</summary>
    public int Send(byte[] request)
    {
        if (_socket is null)
        {
            Connect();
        }

        try
        {
            return Exchange(request);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Connect();
            return Exchange(request);
        }
    }

    public void Dispose() => _socket?.Dispose();

    private int Exchange(byte[] request)
    {
        var socket = _socket!;
        for (var sent = 0; sent < request.Length;)
        {
            sent += socket.Send(request.AsSpan(sent), SocketFlags.None);
        }

        var filled = 0;
        int headEnd;
        while ((headEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled += Receive(socket, filled);
        }

        var head = Encoding.ASCII.GetString(_buffer, 0, headEnd);
        var status = int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var bodyStart = headEnd + 4;
        if (Header(head, "transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            while (!_buffer.AsSpan(bodyStart, filled - bodyStart).EndsWith("0\r\n\r\n"u8))
            {
                filled += Receive(socket, filled);
            }
        }
        else
        {
            var length = Header(head, "content-length") is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : 0;
            var remaining = bodyStart + length - filled;
            while (remaining > 0)
            {
                // The answers here are empty or a few bytes; a longer body is read through and dropped.
                var read = socket.Receive(_buffer.AsSpan(0, Math.Min(remaining, _buffer.Length)), SocketFlags.None);
                remaining -= read > 0 ? read : throw new IOException("The server closed the connection mid-answer.");
            }
        }

        if (Header(head, "connection")?.Equals("close", StringComparison.OrdinalIgnoreCase) == true)
        {
            Connect();
        }

        return status;
    }

    private int Receive(Socket socket, int filled)
    {
        if (filled == _buffer.Length)
        {
            throw new IOException("The answer's head is larger than the client's buffer.");
        }

        var read = socket.Receive(_buffer.AsSpan(filled), SocketFlags.None);
        return read > 0 ? read : throw new IOException("The server closed the connection.");
    }

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
