using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// HTTPS on <c>http.httpsPort</c>: without configuration a self-signed certificate is made at first start, its SHA-256
/// fingerprint logged, and kept across restarts; TLS 1.2 and 1.3 are accepted and TLS 1.1 refused; a configured PEM
/// certificate is served instead (with HSTS); <c>http.plain: redirect</c> sends plain requests to HTTPS but
/// <c>/health</c>.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed partial class HttpsTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<HttpsTests>();

    [Fact]
    public async Task Self_signed_certificate_is_made_logged_kept_and_TLS_1_2_plus_only()
    {
        string data = RepoPaths.NewTempDirectory("security-https");
        string fingerprint;
        await using (ServerProcess server = await SecuredServer.StartAsync(ports, data, output))
        {
            string line = await server.WaitForLogAsync("SHA-256 fingerprint", TimeSpan.FromSeconds(5));
            fingerprint = Fingerprint().Match(line).Value;
            Assert.True(File.Exists(Path.Combine(data, "tls", "server.crt")), line);

            X509Certificate2 served = await HandshakeAsync(SslProtocols.Tls13);
            Assert.Equal(fingerprint, string.Join(':', SHA256.HashData(served.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))));
            Assert.Contains("localhost", served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
            await HandshakeAsync(SslProtocols.Tls12);
            (int code, string text) = await OpenSslAsync("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            output.WriteLine($"openssl s_client -tls1_1: exit {code}\n{text}");
            Assert.True(text.Contains("alert protocol version", StringComparison.Ordinal)
                || text.Contains("no peer certificate available", StringComparison.Ordinal), $"TLS 1.1 was accepted:\n{text}");

            // The API over HTTPS: login cookie marked Secure, security headers, no HSTS for a self-signed certificate.
            using var https = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == served.Thumbprint });
            using HttpResponseMessage login = await https.PostAsync(new Uri($"https://127.0.0.1:{ports.Https}/api/auth/login"),
                new StringContent("""{"user":"1001","password":"pass1001"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());
            Assert.Contains("secure", login.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
            Assert.True(login.Headers.Contains("Content-Security-Policy"));
            Assert.False(login.Headers.Contains("Strict-Transport-Security"));
        }

        await using (ServerProcess again = await SecuredServer.StartAsync(ports, data, output))
        {
            string line = await again.WaitForLogAsync("SHA-256 fingerprint", TimeSpan.FromSeconds(5));
            Assert.Equal(fingerprint, Fingerprint().Match(line).Value);
        }
    }

    [Fact]
    public async Task Configured_certificate_is_served_with_hsts_and_plain_http_redirects()
    {
        string data = RepoPaths.NewTempDirectory("security-https-pem");
        string cert = Path.Combine(data, "cert.pem"), key = Path.Combine(data, "key.pem");
        var openssl = Process.Start(new ProcessStartInfo("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=pbx.test", "-addext", "subjectAltName=IP:127.0.0.1"])
        { RedirectStandardError = true })!;
        await openssl.WaitForExitAsync();
        Assert.Equal(0, openssl.ExitCode);
        using X509Certificate2 expected = X509Certificate2.CreateFromPem(File.ReadAllText(cert));

        await using ServerProcess server = await SecuredServer.StartAsync(ports, data, output, new Dictionary<string, string?>
        {
            ["TELEPHONY_TLS__CERTIFICATEFILE"] = cert,
            ["TELEPHONY_TLS__KEYFILE"] = key,
            ["TELEPHONY_HTTP__PLAIN"] = "redirect",
        });
        X509Certificate2 served = await HandshakeAsync(SslProtocols.Tls12 | SslProtocols.Tls13);
        Assert.Equal(expected.Thumbprint, served.Thumbprint);
        Assert.False(Directory.Exists(Path.Combine(data, "tls")));

        using var https = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == expected.Thumbprint });
        using HttpResponseMessage health = await https.GetAsync(new Uri($"https://127.0.0.1:{ports.Https}/health"));
        Assert.Equal(["max-age=31536000"], health.Headers.GetValues("Strict-Transport-Security"));

        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using HttpResponseMessage redirected = await plain.GetAsync(new Uri(server.HttpBase, "api/calls?page=2"));
        Assert.Equal(308, (int)redirected.StatusCode);
        Assert.Equal(new Uri($"https://127.0.0.1:{ports.Https}/api/calls?page=2"), redirected.Headers.Location);
        using HttpResponseMessage plainHealth = await plain.GetAsync(new Uri(server.HttpBase, "health"));
        Assert.Equal(200, (int)plainHealth.StatusCode);
    }

    private async Task<X509Certificate2> HandshakeAsync(SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", ports.Https);
        X509Certificate? seen = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, c, _, _) =>
        {
            seen = c;
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocols });
        Assert.True(tls.IsAuthenticated);
        output.WriteLine($"negotiated {tls.SslProtocol} {tls.NegotiatedCipherSuite}");
        return new X509Certificate2(seen!);
    }

    private async Task<(int Code, string Output)> OpenSslAsync(params string[] options)
    {
        var start = new ProcessStartInfo("openssl", ["s_client", "-connect", $"127.0.0.1:{ports.Https}", .. options])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using Process p = Process.Start(start)!;
        p.StandardInput.Close();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("([0-9A-F]{2}:){31}[0-9A-F]{2}")]
    private static partial Regex Fingerprint();
}
