namespace Telephony.Pbx.Sip.Transactions;

/// <summary>States of the RFC 3261 §17 transaction machines, plus Accepted from RFC 6026 §7.</summary>
public enum TransactionState
{
    /// <summary>INVITE client: request sent, no response yet (§17.1.1.2).</summary>
    Calling,

    /// <summary>Non-INVITE client or server: request sent or received, no response yet (§17.1.2.2, §17.2.2).</summary>
    Trying,

    /// <summary>A provisional response has been sent or received.</summary>
    Proceeding,

    /// <summary>RFC 6026: a 2xx to INVITE has been sent or received; absorbs retransmissions.</summary>
    Accepted,

    /// <summary>A final response has been sent or received (for INVITE: a non-2xx one).</summary>
    Completed,

    /// <summary>INVITE server: the ACK for a non-2xx final response arrived (§17.2.1).</summary>
    Confirmed,

    /// <summary>Finished; removed from the transaction table.</summary>
    Terminated,
}
