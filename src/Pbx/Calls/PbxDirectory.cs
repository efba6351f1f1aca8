using System.Net;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Calls;

/// <summary>Read-only view of the configured extensions and trunks, indexed for lookups on every request.</summary>
public sealed class PbxDirectory : ISipAccounts
{
    private readonly Dictionary<string, ExtensionOptions> _extensions;
    private readonly List<(IPAddress Address, TrunkOptions Trunk)> _trunks;

    public PbxDirectory(PbxOptions options)
    {
        _extensions = options.Extensions.ToDictionary(e => e.Number, StringComparer.Ordinal);
        _trunks = options.Trunks.SelectMany(t => t.AllowFrom.Select(a => (IPAddress.Parse(a), t))).ToList();
        Numbers = options.Numbers;
    }

    public NumbersOptions Numbers { get; }

    public ExtensionOptions? FindExtension(string? number) =>
        number is not null && _extensions.TryGetValue(number, out var e) ? e : null;

    /// <summary>The extension's digest secret: its password, else its stored HA1s.</summary>
    public SipSecret? SecretOf(string user) => FindExtension(user) is { } e
        ? new SipSecret(string.IsNullOrEmpty(e.Password) ? null : e.Password, e.Ha1, e.Ha1Sha256)
        : null;

    public bool Exists(string user) => FindExtension(user) is not null;

    /// <summary>The trunk whose allow-list holds this source address, if any.</summary>
    public TrunkOptions? TrunkFor(IPAddress source)
    {
        var s = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        foreach (var (address, trunk) in _trunks)
        {
            if (address.Equals(s))
            {
                return trunk;
            }
        }
        return null;
    }
}
