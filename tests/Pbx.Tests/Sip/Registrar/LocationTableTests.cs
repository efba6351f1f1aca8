using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Sip.Registrar;

public class LocationTableTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly LocationTable _table;
    private readonly List<string> _events = [];

    public LocationTableTests()
    {
        _table = new LocationTable(_time);
        _table.BindingAdded += (_, e) => Record("added " + e.Binding.ContactUri);
        _table.BindingRemoved += (_, e) => Record("removed " + e.Binding.ContactUri);
        _table.BindingExpired += (_, e) => Record("expired " + e.Binding.ContactUri);
    }

    private void Record(string e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }

    private static BindingRequest Contact(string uri, TimeSpan expires, double q = 1.0, string? instance = null) =>
        new(uri, expires, q, instance);

    [Fact]
    public void Register_stores_binding_with_source_and_expiry()
    {
        var source = new object();
        LocationUpdateResult r = _table.Update("1001", "call-a", 1, [Contact("sip:1001@10.0.0.5:5060", Hour)], source);
        Assert.True(r.IsOk);
        Binding b = Assert.Single(r.Bindings);
        Assert.Equal(("1001", "sip:1001@10.0.0.5:5060", "call-a", 1u), (b.Aor, b.ContactUri, b.CallId, b.CSeq));
        Assert.Same(source, b.Source);
        Assert.Equal(_time.GetUtcNow() + Hour, b.ExpiresAt);
        Assert.Equal(3600, b.RemainingSeconds(_time.GetUtcNow()));
        Assert.Equal(["added sip:1001@10.0.0.5:5060"], _events);
    }

    [Fact]
    public void Binding_expires_and_sweep_raises_expired()
    {
        _table.Update("1001", "c", 1, [Contact("sip:a", TimeSpan.FromSeconds(60))], null);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(_table.GetBindings("1001"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(_table.GetBindings("1001"));
        Assert.Equal(1, _table.Count);
        Assert.Equal(1, _table.SweepExpired());
        Assert.Equal(0, _table.Count);
        Assert.Equal(["added sip:a", "expired sip:a"], _events);
        Assert.Equal(0, _table.SweepExpired());
    }

    [Fact]
    public void Refresh_extends_expiry_without_added_event()
    {
        _table.Update("1001", "c", 1, [Contact("sip:a", TimeSpan.FromSeconds(60))], "old");
        _time.Advance(TimeSpan.FromSeconds(50));
        LocationUpdateResult r = _table.Update("1001", "c", 2, [Contact("sip:a", TimeSpan.FromSeconds(60))], "new");
        Binding b = Assert.Single(r.Bindings);
        Assert.Equal(2u, b.CSeq);
        Assert.Equal("new", b.Source);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(_table.GetBindings("1001"));
        Assert.Equal(["added sip:a"], _events);
    }

    [Fact]
    public void Several_contacts_are_ordered_by_q_then_most_recent()
    {
        _table.Update("1001", "c1", 1, [Contact("sip:desk", Hour, 0.5), Contact("sip:soft", Hour, 1.0)], null);
        _time.Advance(TimeSpan.FromSeconds(1));
        _table.Update("1001", "c2", 1, [Contact("sip:mobile", Hour, 0.5)], null);
        Assert.Equal(["sip:soft", "sip:mobile", "sip:desk"], _table.GetBindings("1001").Select(b => b.ContactUri));
        Assert.Empty(_table.GetBindings("1002"));
    }

    [Fact]
    public void Unregister_with_expires_zero_removes_one_contact()
    {
        _table.Update("1001", "c", 1, [Contact("sip:a", Hour), Contact("sip:b", Hour)], null);
        LocationUpdateResult r = _table.Update("1001", "c", 2, [Contact("sip:a", TimeSpan.Zero)], null);
        Assert.Equal(["sip:b"], r.Bindings.Select(b => b.ContactUri));
        Assert.Contains("removed sip:a", _events);
    }

    [Fact]
    public void Contact_star_removes_all()
    {
        _table.Update("1001", "c", 1, [Contact("sip:a", Hour), Contact("sip:b", Hour)], null);
        _table.Update("1001", "other", 9, [Contact("sip:c", Hour)], null);
        LocationUpdateResult r = _table.RemoveAll("1001", "c", 2);
        Assert.True(r.IsOk);
        Assert.Empty(r.Bindings);
        Assert.Empty(_table.GetBindings("1001"));
        Assert.Equal(3, _events.Count(e => e.StartsWith("removed", StringComparison.Ordinal)));
    }

    [Fact]
    public void Contact_star_with_old_cseq_is_out_of_order_and_keeps_everything()
    {
        _table.Update("1001", "c", 5, [Contact("sip:a", Hour)], null);
        LocationUpdateResult r = _table.RemoveAll("1001", "c", 5);
        Assert.Equal(LocationUpdateOutcome.OutOfOrder, r.Outcome);
        Assert.Single(_table.GetBindings("1001"));
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(5u)]
    public void Same_call_id_with_lower_or_equal_cseq_is_out_of_order(uint cseq)
    {
        _table.Update("1001", "c", 5, [Contact("sip:a", Hour)], null);
        LocationUpdateResult r = _table.Update("1001", "c", cseq, [Contact("sip:a", TimeSpan.Zero), Contact("sip:new", Hour)], null);
        Assert.Equal(LocationUpdateOutcome.OutOfOrder, r.Outcome);
        Assert.Equal(["sip:a"], _table.GetBindings("1001").Select(b => b.ContactUri));
        Assert.Equal(["added sip:a"], _events);
    }

    [Fact]
    public void Different_call_id_with_lower_cseq_is_accepted()
    {
        _table.Update("1001", "c", 5, [Contact("sip:a", Hour)], null);
        LocationUpdateResult r = _table.Update("1001", "rebooted", 1, [Contact("sip:a", Hour)], null);
        Assert.True(r.IsOk);
        Assert.Equal("rebooted", r.Bindings[0].CallId);
    }

    [Fact]
    public void Same_instance_id_replaces_binding_after_nat_rebinding()
    {
        const string instance = "\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"";
        _table.Update("1001", "c", 1, [Contact("sip:1001@198.51.100.7:4000", Hour, instance: instance)], "nat-port-4000");
        LocationUpdateResult r = _table.Update("1001", "c", 2, [Contact("sip:1001@198.51.100.7:4100", Hour, instance: instance)], "nat-port-4100");
        Binding b = Assert.Single(r.Bindings);
        Assert.Equal(("sip:1001@198.51.100.7:4100", "nat-port-4100", instance), (b.ContactUri, b.Source, b.InstanceId));
    }

    [Fact]
    public void Empty_contact_list_is_a_query()
    {
        _table.Update("1001", "c", 1, [Contact("sip:a", Hour)], null);
        LocationUpdateResult r = _table.Update("1001", "c", 2, [], null);
        Assert.True(r.IsOk);
        Assert.Single(r.Bindings);
    }

    [Fact]
    public void Too_many_bindings_are_refused()
    {
        BindingRequest[] many = [.. Enumerable.Range(0, LocationTable.MaxBindingsPerAor + 1).Select(i => Contact($"sip:{i}", Hour))];
        Assert.Equal(LocationUpdateOutcome.TooManyBindings, _table.Update("1001", "c", 1, many, null).Outcome);
        Assert.Empty(_table.GetBindings("1001"));
    }

    [Fact]
    public void Expired_binding_is_reported_when_the_aor_is_next_touched()
    {
        _table.Update("1001", "c", 1, [Contact("sip:a", TimeSpan.FromSeconds(10))], null);
        _time.Advance(TimeSpan.FromSeconds(11));
        LocationUpdateResult r = _table.Update("1001", "c", 2, [Contact("sip:a", Hour)], null);
        Assert.Single(r.Bindings);
        Assert.Equal(["added sip:a", "expired sip:a", "added sip:a"], _events);
    }

    [Fact]
    public void Throwing_subscriber_does_not_break_the_table()
    {
        _table.BindingAdded += (_, _) => throw new InvalidOperationException("bug");
        Assert.True(_table.Update("1001", "c", 1, [Contact("sip:a", Hour)], null).IsOk);
        Assert.Single(_table.GetBindings("1001"));
    }

    [Fact]
    public void Concurrent_updates_are_safe()
    {
        Parallel.For(0, 200, i =>
        {
            string aor = "u" + (i % 10);
            _table.Update(aor, "c" + i, 1, [Contact($"sip:{i}", Hour)], null);
            _table.GetBindings(aor);
        });
        Assert.Equal(200, Enumerable.Range(0, 10).Sum(i => _table.GetBindings("u" + i).Count));
        Assert.Equal(200, _events.Count);
    }
}
