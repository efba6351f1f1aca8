namespace Telephony.Host.Callbacks;

/// <summary>
/// The <c>callbacks</c> section of <c>config/telephony.yaml</c>: the web sites allowed to ask for callbacks
/// (<c>POST /api/public/callbacks</c> with their <c>X-Api-Key</c>), which numbers may be called back, and the rate limits
/// of requests. Which queues take callbacks, and how they are made, is each queue's <c>callback:</c> option in
/// <c>queues.yaml</c>.
/// </summary>
public sealed class CallbackSettings
{
    /// <summary>The queue of a request that names none (and whose site names none).</summary>
    public string DefaultQueue { get; set; } = "support";

    /// <summary>E.164 prefixes a callback may call (<c>+1555</c>, <c>+49</c>); empty = any E.164 number.</summary>
    public List<string> AllowedPrefixes { get; set; } = [];

    /// <summary>The same number is called back at most once per this many minutes (requests beyond: 429).</summary>
    public int NumberWindowMinutes { get; set; } = 10;

    /// <summary>Requests per minute per API key (web) or per console user.</summary>
    public int PerKeyPerMinute { get; set; } = 30;

    /// <summary>Requests per minute per client address.</summary>
    public int PerAddressPerMinute { get; set; } = 10;

    /// <summary>Web sites with their API keys.</summary>
    public List<CallbackSite> Sites { get; set; } = [];

    /// <summary>Binds the section; throws <see cref="FormatException"/> naming the key on invalid values.</summary>
    public static CallbackSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new CallbackSettings();
        configuration.GetSection("callbacks").Bind(settings);
        if (settings.NumberWindowMinutes < 0 || settings.PerKeyPerMinute < 1 || settings.PerAddressPerMinute < 1)
        {
            throw new FormatException("callbacks: numberWindowMinutes must be 0 or more, perKeyPerMinute and perAddressPerMinute 1 or more");
        }
        foreach (var prefix in settings.AllowedPrefixes.Concat(settings.Sites.SelectMany(s => s.AllowedPrefixes)))
        {
            if (!PhoneNumbers.IsPrefix(prefix))
            {
                throw new FormatException($"callbacks.allowedPrefixes: '{prefix}' is not an E.164 prefix ('+' then digits)");
            }
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in settings.Sites)
        {
            if (string.IsNullOrWhiteSpace(site.Name) || !names.Add(site.Name))
            {
                throw new FormatException($"callbacks.sites: every site needs a unique name ('{site.Name}')");
            }
            if (string.IsNullOrEmpty(site.ApiKey) || site.ApiKey.Length < 8 || !keys.Add(site.ApiKey))
            {
                throw new FormatException($"callbacks.sites: site '{site.Name}' needs its own apiKey of at least 8 characters");
            }
        }
        return settings;
    }

    /// <summary>The prefixes that apply to <paramref name="site"/>'s requests (its own, else the global ones).</summary>
    public IReadOnlyList<string> PrefixesFor(CallbackSite? site) =>
        site is { AllowedPrefixes.Count: > 0 } ? site.AllowedPrefixes : AllowedPrefixes;
}
