namespace Telephony.Host.Recording;

/// <summary>Recording counters shown by <c>GET /health</c>.</summary>
/// <param name="Enabled">Recording switched on in the configuration.</param>
/// <param name="Active">Recordings open now.</param>
/// <param name="Completed">Recordings closed since start-up.</param>
/// <param name="Failed">Recordings that could not be created or hit a write error.</param>
/// <param name="DroppedFrames">20 ms frames dropped (queue full or disk error) since start-up.</param>
/// <param name="Alerts">Alerts raised since start-up (missed calls, recording failures).</param>
/// <param name="StoragePending">Database writes queued and not yet done.</param>
public sealed record RecordingStats(bool Enabled, long Active, long Completed, long Failed, long DroppedFrames, long Alerts, long StoragePending);
