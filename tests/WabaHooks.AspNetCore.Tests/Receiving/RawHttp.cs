using System.Net.Sockets;
using System.Text;

namespace WabaHooks.AspNetCore.Tests.Receiving;

/// <summary>
/// HTTP/1.1 written byte for byte on a socket, for what HttpClient will not do: chunk sizes of our choosing, a body
/// left unfinished, a Content-Length that is never honoured.
/// </summary>
internal static class RawHttp
{
    /// <summary>The request head of a signed POST, up to and including the blank line.</summary>
    public static byte[] Head(string path, string signature, string framing) =>
        Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\nX-Hub-Signature-256: {signature}\r\n\r\n");

    /// <summary><paramref name="body"/> as chunks of <paramref name="chunkSize"/> bytes, with or without the last chunk.</summary>
    public static byte[] Chunked(ReadOnlySpan<byte> body, int chunkSize, bool finish)
    {
        using var wire = new MemoryStream();
        for (var at = 0; at < body.Length; at += chunkSize)
        {
            var chunk = body.Slice(at, Math.Min(chunkSize, body.Length - at));
            wire.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            wire.Write(chunk);
            wire.Write("\r\n"u8);
        }

        if (finish)
        {
            wire.Write("0\r\n\r\n"u8);
        }

        return wire.ToArray();
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the status code of the answer, leaving the connection open until then:
    /// an answer that only comes once the client stops sending or closes would not count.
    /// </summary>
    public static async Task<int> SendAsync(Uri address, byte[] request, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port, cancellationToken);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, cancellationToken);
        }
        catch (IOException)
        {
            // The server may answer and close while the rest is still being written; the answer is still readable.
        }

        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException) when (received.Count > 0)
            {
                n = 0;
            }

            if (n == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, n));
            var text = Encoding.ASCII.GetString([.. received]);
            if (text.Contains("\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        var statusLine = Encoding.ASCII.GetString([.. received]).Split("\r\n")[0];
        Assert.StartsWith("HTTP/1.1 ", statusLine, StringComparison.Ordinal);
        return int.Parse(statusLine.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}
