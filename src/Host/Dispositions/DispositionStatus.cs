namespace Telephony.Host.Dispositions;

/// <summary>What became of a disposition request (the HTTP API maps it to 200, 404, 409 or 400).</summary>
public enum DispositionStatus
{
    /// <summary>Stored on the call record and in the event log.</summary>
    Set,

    /// <summary>No call record with that id.</summary>
    UnknownCall,

    /// <summary>The call went through no queue, or its queue lists no disposition codes.</summary>
    NoCodes,

    /// <summary>A code is not in the queue's list (or the list of codes is empty, or a keypad position is past its end).</summary>
    InvalidCode,
}
