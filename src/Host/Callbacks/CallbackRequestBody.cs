namespace Telephony.Host.Callbacks;

/// <summary>The JSON body of <c>POST /api/public/callbacks</c> and <c>POST /api/callbacks</c>: the number to call back
/// (E.164), the queue (default: the site's, else <c>callbacks.defaultQueue</c>), the customer's name and a note shown to
/// the agent, and the earliest time to call (ISO 8601 with offset; default: as soon as possible).</summary>
public sealed record CallbackRequestBody(string? Number, string? Queue, string? Name, string? Note, string? NotBefore);
