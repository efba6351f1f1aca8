namespace Telephony.Host.Callbacks;

/// <summary>One web site of <c>callbacks.sites</c>: its name (kept with each request it makes), its API key (the
/// <c>X-Api-Key</c> header of <c>/api/public/callbacks</c>), its default queue and, optionally, its own number prefixes.</summary>
public sealed class CallbackSite
{
    public string Name { get; set; } = "";

    public string ApiKey { get; set; } = "";

    /// <summary>The queue of this site's requests that name none; empty = <c>callbacks.defaultQueue</c>.</summary>
    public string Queue { get; set; } = "";

    /// <summary>Overrides <c>callbacks.allowedPrefixes</c> for this site when not empty.</summary>
    public List<string> AllowedPrefixes { get; set; } = [];
}
