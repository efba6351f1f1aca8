namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// SDES offer/answer (RFC 4568 §5.1): the answerer accepts the first offered crypto line it supports and answers it
/// with the same tag and suite and its own fresh key; the offerer matches the answer's tag to its offered line.
/// </summary>
public static class SdesNegotiation
{
    /// <summary>Answers an offer's <c>a=crypto</c> values (in offer order, i.e. the offerer's preference).</summary>
    public static SdesAnswer Answer(IEnumerable<string> offeredValues, IReadOnlyList<SrtpProfile>? supported = null)
    {
        ArgumentNullException.ThrowIfNull(offeredValues);
        supported ??= SrtpProfile.All;
        var rejected = new List<SdesRejection>();
        var firstSupportedError = SdesError.None;
        foreach (var value in offeredValues)
        {
            var error = SdesCryptoAttribute.TryParse(value, out var offered);
            if (error == SdesError.None && !supported.Contains(offered!.Profile))
            {
                error = SdesError.UnsupportedSuite;
            }

            if (error == SdesError.None)
            {
                var local = SdesCryptoAttribute.CreateRandom(offered!.Tag, offered.Profile);
                return new SdesAnswer(offered, local, rejected, SdesError.None);
            }

            SdesCryptoAttribute.ReadHead(value, out var tag, out var suite, out _);
            rejected.Add(new SdesRejection(tag > 0 || suite.Length > 0 ? tag : -1, suite, error));
            if (firstSupportedError == SdesError.None && error != SdesError.UnsupportedSuite)
            {
                firstSupportedError = error;
            }
        }

        var reason = rejected.Count == 0 ? SdesError.NoCryptoOffered
            : firstSupportedError != SdesError.None ? firstSupportedError
            : SdesError.UnsupportedSuite;
        return new SdesAnswer(null, null, rejected, reason);
    }

    /// <summary>
    /// The offerer's side: finds the offered line the answer accepted. <paramref name="local"/> keys our outbound
    /// context, <paramref name="remote"/> (the answerer's key) our inbound one; both are set exactly when the result is
    /// <see cref="SdesError.None"/>.
    /// </summary>
    public static SdesError AcceptAnswer(IReadOnlyList<SdesCryptoAttribute> offered, string answerValue,
        out SdesCryptoAttribute? local, out SdesCryptoAttribute? remote)
    {
        ArgumentNullException.ThrowIfNull(offered);
        local = null;
        var error = SdesCryptoAttribute.TryParse(answerValue, out remote);
        if (error != SdesError.None)
        {
            return error;
        }

        var tag = remote!.Tag;
        var match = offered.FirstOrDefault(o => o.Tag == tag);
        if (match is null)
        {
            remote = null;
            return SdesError.AnswerTagNotOffered;
        }

        if (!ReferenceEquals(match.Profile, remote.Profile))
        {
            remote = null;
            return SdesError.AnswerSuiteMismatch;
        }

        local = match;
        return SdesError.None;
    }
}
