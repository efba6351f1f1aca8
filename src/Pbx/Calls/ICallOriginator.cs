namespace Telephony.Pbx.Calls;

/// <summary>
/// Where calls the server originates (no INVITE received: a <see cref="CallbackCall"/>, a <see cref="SupervisorCall"/>
/// from the HTTP API) are built and started: the <see cref="CallManager"/>. Applications get it through
/// <see cref="ICallApplications.Attach"/> once the server exists.
/// </summary>
public interface ICallOriginator
{
    /// <summary>What calls are built on (signalling, media, contacts, configuration, observer).</summary>
    CallContext Context { get; }

    /// <summary>Registers <paramref name="call"/> and starts it on its executor; false while shutting down.</summary>
    bool Originate(Call call);
}
