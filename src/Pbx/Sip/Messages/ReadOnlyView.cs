using System.Diagnostics.CodeAnalysis;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// The error for changing a header view that <see cref="SipMessage"/> caches (From, To, the top Via): the view is
/// shared by every reader of the message, so it is read-only; Clone() gives a copy to change.
/// </summary>
internal static class ReadOnlyView
{
    [DoesNotReturn]
    public static void Throw() =>
        throw new InvalidOperationException(
            "This header view is shared by the SipMessage it was read from and is read-only: Clone() it to change it");
}
