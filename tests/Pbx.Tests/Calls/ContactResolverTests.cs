using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Calls;

public sealed class ContactResolverTests
{
    private static readonly IPEndPoint Proxy = new(IPAddress.Parse("127.0.0.10"), 5060);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly LocationTable _locations;

    public ContactResolverTests() => _locations = new LocationTable(_time);

    private void Register(string aor, string contact)
    {
        var source = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.5"), 5062));
        Assert.True(_locations.Update(aor, "reg-" + aor, 1, [new BindingRequest(contact, TimeSpan.FromHours(1), 1.0, null)], source).IsOk);
    }

    [Fact]
    public void Single_server_resolves_from_the_location_table_only()
    {
        var resolver = new ContactResolver(_locations, proxy: null, _time);
        Register("1001", "sip:1001@10.0.0.5:5062");
        Assert.Equal("sip:1001@10.0.0.5:5062", Assert.Single(resolver.Resolve("1001")).ContactUri);
        Assert.Empty(resolver.Resolve("1002"));
        Assert.False(resolver.UsesProxy);
    }

    [Fact]
    public void Cluster_node_prefers_a_contact_registered_here()
    {
        var resolver = new ContactResolver(_locations, Proxy, _time);
        Register("1001", "sip:1001@10.0.0.5:5062");
        Assert.Equal("sip:1001@10.0.0.5:5062", Assert.Single(resolver.Resolve("1001")).ContactUri);
    }

    [Fact]
    public void Cluster_node_reaches_someone_not_registered_here_through_the_proxy()
    {
        var resolver = ContactResolver.For(_locations, new PbxOptions { Cluster = new ClusterOptions { Proxy = "127.0.0.10:5060" } }, _time);
        Binding binding = Assert.Single(resolver.Resolve("1002"));
        Assert.True(resolver.UsesProxy);
        Assert.Equal("sip:1002@127.0.0.10:5060", binding.ContactUri);
        var source = Assert.IsType<SipEndPoint>(binding.Source);
        // The INVITE goes to the proxy itself, with the proxy URI as Request-URI (Kamailio: lookup("location")).
        Assert.Equal(new SipEndPoint(SipProtocol.Udp, Proxy), BridgedCall.ContactDestination(source, SipUri.Parse(binding.ContactUri)));
        Assert.Empty(_locations.GetBindings("1002")); // nothing stored
    }

    [Fact]
    public void Empty_aor_is_not_sent_to_the_proxy() =>
        Assert.Empty(new ContactResolver(_locations, Proxy, _time).Resolve(""));
}
