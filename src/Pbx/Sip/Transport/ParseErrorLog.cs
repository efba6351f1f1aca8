using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// Rate-limited warning for malformed input (STYLE §4): the first error is logged, then at most one summary per
/// interval with the count of errors since the last one. Every error is still logged at Debug.
/// </summary>
internal sealed class ParseErrorLog(ILogger logger, TimeSpan interval)
{
    private readonly object _gate = new();
    private long _nextReportMs;
    private long _suppressed;

    public void Record(SipParseError error, SipEndPoint remote, string what)
    {
        logger.LogDebug("SIP {What} from {Remote}: {Reason} ({Header}) {Detail}", what, remote, error.Reason,
            error.Header, error.Message);
        long suppressed;
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (now < _nextReportMs)
            {
                _suppressed++;
                return;
            }

            suppressed = _suppressed;
            _suppressed = 0;
            _nextReportMs = now + (long)interval.TotalMilliseconds;
        }

        logger.LogWarning(
            "SIP {What} from {Remote}: {Reason} ({Header}) {Detail}; {Suppressed} more since the last report",
            what, remote, error.Reason, error.Header, error.Message, suppressed);
    }
}
