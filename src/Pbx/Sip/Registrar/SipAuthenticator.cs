using System.Net;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Security;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Digest authentication of requests from extensions (RFC 3261 §22, RFC 8760): REGISTER is challenged with
/// 401/WWW-Authenticate, other requests with 407/Proxy-Authenticate. One challenge header per configured
/// algorithm, in order; a stale nonce is re-challenged with stale=true; a wrong password is refused with 403.
/// Credentials computed with an algorithm that is not configured are not accepted (RFC 8760 §2.4: the server picks
/// the algorithms it offers), so configuring SHA-256 alone really retires MD5. A digest-uri other than the
/// Request-URI gets 400 (RFC 2617 §3.2.2.5).
/// <para>
/// No enumeration: a user who does not exist gets exactly what a known user with a wrong password gets, on every
/// path (same status, reason, headers in the same order, same hash work): the user's existence is looked at only
/// when the password is. Failed attempts are counted by the <see cref="SipBanList"/> (per source address and per
/// user name, unknown names alike), and nonces are bound to the source address.
/// </para>
/// </summary>
public sealed class SipAuthenticator
{
    /// <summary>The reason phrase of the 403 for a wrong password or an unknown user (the same for both).</summary>
    public const string ForbiddenReason = "Forbidden (wrong credentials)";

    private readonly DigestAuthenticator _digest;
    private readonly ISipAccounts _accounts;
    private readonly IReadOnlyList<DigestAlgorithm> _algorithms;
    private readonly ILogger _logger;
    private readonly SipSecurityGate? _gate;

    /// <summary>An authenticator without brute-force protection (tests, tools).</summary>
    public SipAuthenticator(DigestAuthenticator digest, ISipAccounts accounts, IReadOnlyList<DigestAlgorithm> algorithms,
        ILogger logger)
        : this(digest, accounts, algorithms, null, logger)
    {
    }

    /// <summary>
    /// An authenticator whose failures go to <paramref name="gate"/>'s ban list.
    /// </summary>
    public SipAuthenticator(DigestAuthenticator digest, ISipAccounts accounts, IReadOnlyList<DigestAlgorithm> algorithms,
        SipSecurityGate? gate, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(algorithms);
        ArgumentNullException.ThrowIfNull(logger);
        _digest = digest;
        _accounts = accounts;
        _algorithms = algorithms;
        _gate = gate;
        _logger = logger;
    }

    /// <summary>Verifies the credentials of <paramref name="tx"/>'s request, sent from <c>tx.Remote</c>.</summary>
    public bool TryAuthenticate(SipStack stack, ServerTransaction tx, out string user, out SipResponse? reject)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return TryAuthenticate(stack, tx.Request, SipSecuritySettings.Normalize(tx.Remote.EndPoint.Address), out user,
            out reject);
    }

    private bool TryAuthenticate(SipStack stack, SipRequest request, IPAddress? source, out string user,
        out SipResponse? reject)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var isRegister = request.Method == SipMethod.Register;
        var credentialsHeader = isRegister ? HeaderName.Authorization : HeaderName.ProxyAuthorization;
        var challengeHeader = isRegister ? HeaderName.WwwAuthenticate : HeaderName.ProxyAuthenticate;
        var challengeStatus = isRegister ? 401 : 407;
        user = "";

        var credentials = request.Headers.GetAll(credentialsHeader);
        if (credentials.Count == 0)
        {
            reject = Challenge(stack, request, challengeStatus, challengeHeader, source, stale: false);
            return false;
        }

        DigestVerifyResult last = default;
        foreach (var value in credentials)
        {
            if (!IsOffered(value))
            {
                last = new DigestVerifyResult(DigestOutcome.UnsupportedAlgorithm, null);
                continue;
            }
            var result = _digest.Verify(request.Method, value, _accounts.SecretOf, request.RequestUri, source);
            last = result;
            if (result.Outcome == DigestOutcome.Ok)
            {
                user = result.UserName!;
                _gate?.Bans.RecordSuccess(source, user);
                reject = null;
                return true;
            }
        }

        switch (last.Outcome)
        {
            case DigestOutcome.Stale:
            case DigestOutcome.InvalidNonce: // e.g. issued before a restart or to another address: retry silently
                reject = Challenge(stack, request, challengeStatus, challengeHeader, source, stale: true);
                return false;
            case DigestOutcome.UriMismatch:
                _logger.LogInformation("{Method} from {Source}: digest uri is not the Request-URI {Uri}",
                    request.Method, source, request.RequestUri);
                reject = stack.CreateResponse(request, 400, "Digest uri does not match the Request-URI");
                return false;
            case DigestOutcome.Malformed:
            case DigestOutcome.RealmMismatch:
            case DigestOutcome.UnsupportedAlgorithm:
                _logger.LogInformation("{Method} from {Source}: unusable credentials ({Outcome}), challenging again",
                    request.Method, source, last.Outcome);
                reject = Challenge(stack, request, challengeStatus, challengeHeader, source, stale: false);
                return false;
            default:
                // WrongPassword and UnknownUser: one log line, one count, one response, whichever it was.
                _logger.LogWarning("{Method} from {Source}: authentication failed for user '{User}' ({Outcome})",
                    request.Method, source, last.UserName, last.Outcome);
                _gate?.Bans.RecordFailure(source, last.UserName);
                reject = stack.CreateResponse(request, 403, ForbiddenReason);
                return false;
        }
    }

    /// <summary>True unless the credentials parse and name an algorithm we did not challenge with.</summary>
    private bool IsOffered(string credentials) =>
        !DigestCredentials.TryParse(credentials, out var parsed) || parsed is null ||
        !DigestAlgorithms.TryParse(parsed.AlgorithmName, out var algorithm) || _algorithms.Contains(algorithm);

    private SipResponse Challenge(SipStack stack, SipRequest request, int status, string header, IPAddress? source,
        bool stale)
    {
        var response = stack.CreateResponse(request, status);
        foreach (var algorithm in _algorithms)
        {
            response.Headers.Add(header, _digest.CreateChallenge(algorithm, stale, source));
        }
        return response;
    }
}
