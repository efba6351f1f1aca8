namespace Telephony.Pbx.Sip.Transactions;

/// <summary>Something a <see cref="LingerQueue"/> expires once its time has passed (a lingering server transaction).</summary>
internal interface IExpiring
{
    /// <summary>Called once, on a timer thread (or at shutdown).</summary>
    void Expire();
}
