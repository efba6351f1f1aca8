using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Digest authentication of requests from extensions (RFC 3261 §22, RFC 8760): REGISTER is challenged with
/// 401/WWW-Authenticate, other requests with 407/Proxy-Authenticate. One challenge header per configured
/// algorithm, in order; a stale nonce is re-challenged with stale=true; a wrong password is refused with 403.
/// Credentials computed with an algorithm that is not configured are not accepted (RFC 8760 §2.4: the server picks
/// the algorithms it offers), so configuring SHA-256 alone really retires MD5.
/// </summary>
public sealed class SipAuthenticator(DigestAuthenticator digest, ISipAccounts accounts,
    IReadOnlyList<DigestAlgorithm> algorithms, ILogger logger)
{
    /// <summary>Verifies the request's credentials. On failure <paramref name="reject"/> is the response to send.</summary>
    public bool TryAuthenticate(SipStack stack, SipRequest request, out string user, out SipResponse? reject)
    {
        var isRegister = request.Method == SipMethod.Register;
        var credentialsHeader = isRegister ? HeaderName.Authorization : HeaderName.ProxyAuthorization;
        var challengeHeader = isRegister ? HeaderName.WwwAuthenticate : HeaderName.ProxyAuthenticate;
        var challengeStatus = isRegister ? 401 : 407;
        user = "";

        var credentials = request.Headers.GetAll(credentialsHeader);
        if (credentials.Count == 0)
        {
            reject = Challenge(stack, request, challengeStatus, challengeHeader, stale: false);
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
            var result = digest.Verify(request.Method, value, accounts.PasswordOf);
            last = result;
            if (result.Outcome == DigestOutcome.Ok)
            {
                user = result.UserName!;
                reject = null;
                return true;
            }
        }

        switch (last.Outcome)
        {
            case DigestOutcome.Stale:
            case DigestOutcome.InvalidNonce: // e.g. issued before a restart: let the phone retry silently
                reject = Challenge(stack, request, challengeStatus, challengeHeader, stale: true);
                return false;
            case DigestOutcome.Malformed:
            case DigestOutcome.RealmMismatch:
            case DigestOutcome.UnsupportedAlgorithm:
                logger.LogInformation("{Method} from {From}: unusable credentials ({Outcome}), challenging again",
                    request.Method, request.From?.Uri, last.Outcome);
                reject = Challenge(stack, request, challengeStatus, challengeHeader, stale: false);
                return false;
            default:
                logger.LogWarning("{Method} from {From}: authentication failed for user '{User}' ({Outcome})",
                    request.Method, request.From?.Uri, last.UserName, last.Outcome);
                reject = stack.CreateResponse(request, 403, "Forbidden (wrong credentials)");
                return false;
        }
    }

    /// <summary>True unless the credentials parse and name an algorithm we did not challenge with.</summary>
    private bool IsOffered(string credentials) =>
        !DigestCredentials.TryParse(credentials, out var parsed) || parsed is null ||
        !DigestAlgorithms.TryParse(parsed.AlgorithmName, out var algorithm) || algorithms.Contains(algorithm);

    private SipResponse Challenge(SipStack stack, SipRequest request, int status, string header, bool stale)
    {
        var response = stack.CreateResponse(request, status);
        foreach (var algorithm in algorithms)
        {
            response.Headers.Add(header, digest.CreateChallenge(algorithm, stale));
        }
        return response;
    }
}
