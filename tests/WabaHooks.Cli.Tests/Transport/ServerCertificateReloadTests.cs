using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Transport;

public sealed class ServerCertificateReloadTests : IDisposable
{
    private const string Secret = "reload-app-secret-0123456789abcdef";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    /// <summary>A client that keeps one connection, and records each connection it opens and the certificate it was shown.</summary>
    private sealed class RecordingClient : IDisposable
    {
        private readonly HttpClient _client;
        private int _connections;

        public RecordingClient()
        {
            var handler = new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 1,
                ConnectCallback = async (context, token) =>
                {
                    Interlocked.Increment(ref _connections);
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        LastSubject = (certificate as X509Certificate2)?.GetNameInfo(X509NameType.SimpleName, false);
                        return true;
                    },
                },
            };
            _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        }

        public int Connections => Volatile.Read(ref _connections);

        public string? LastSubject { get; private set; }

        public async Task<HttpStatusCode> PostAsync(Uri url)
        {
            using var response = await _client.SendAsync(TestPki.SignedPost(url, ExamplePayloads.Read("messages-text.json"), Secret), Ct);
            return response.StatusCode;
        }

        public void Dispose() => _client.Dispose();
    }

    [Fact]
    public async Task Replaced_pem_files_are_served_on_new_connections_while_an_open_connection_stays_open()
    {
        var cert = _dir.Combine("fullchain.pem");
        var key = _dir.Combine("privkey.pem");
        var first = TestPki.Server("first-certificate");
        TestPki.WriteCertificates(cert, first);
        TestPki.WriteKey(key, first);
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "https://127.0.0.1:0", "--https-cert", cert, "--https-key", key, "--data-dir", _dir.Combine("data"),
             "--verify-token", "reload-token", "--app-secret", Secret], _dir.Path);
        await using (serve)
        {
            using var open = new RecordingClient();
            Assert.Equal(HttpStatusCode.OK, await open.PostAsync(callback));
            Assert.Equal("first-certificate", open.LastSubject);

            // As a renewal does: new files written aside, then moved over the old ones.
            var second = TestPki.Server("second-certificate");
            TestPki.WriteCertificates(cert + ".new", second);
            TestPki.WriteKey(key + ".new", second);
            File.Move(key + ".new", key, overwrite: true);
            File.Move(cert + ".new", cert, overwrite: true);

            await Await.UntilAsync(async () =>
            {
                using var fresh = new RecordingClient();
                return await fresh.PostAsync(callback) == HttpStatusCode.OK && fresh.LastSubject == "second-certificate";
            }, "a new connection is shown the replaced certificate");
            await serve.WaitForOutputAsync("Server certificate reloaded: CN=second-certificate", Await.Bound);

            // The connection opened before the renewal carries on: no new connection, no new handshake.
            Assert.Equal(HttpStatusCode.OK, await open.PostAsync(callback));
            Assert.Equal(1, open.Connections);
            Assert.Equal("first-certificate", open.LastSubject);
        }
    }
}
