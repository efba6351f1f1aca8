using System.Globalization;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// A legitimate phone played by SIPp: REGISTER with digest (401, then <c>[authentication]</c> with <c>-au/-ap</c>; the
/// digest uri SIPp writes, <c>sip:remote_ip:port</c>, is the Request-URI), from its own loopback address.
/// </summary>
internal static class SippPhone
{
    private const string Scenario = """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="register with digest">
          <send retrans="500">
            <![CDATA[
              REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
              From: <sip:@USER@@[remote_ip]:[remote_port]>;tag=[call_number]
              To: <sip:@USER@@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 1 REGISTER
              Contact: <sip:@USER@@[local_ip]:[local_port]>
              Max-Forwards: 70
              Expires: 120
              Content-Length: 0

            ]]>
          </send>
          <recv response="401" auth="true"/>
          <send retrans="500">
            <![CDATA[
              REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
              From: <sip:@USER@@[remote_ip]:[remote_port]>;tag=[call_number]
              To: <sip:@USER@@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 2 REGISTER
              Contact: <sip:@USER@@[local_ip]:[local_port]>
              [authentication]
              Max-Forwards: 70
              Expires: 120
              Content-Length: 0

            ]]>
          </send>
          <recv response="200"/>
        </scenario>
        """;

    /// <summary>SIPp options for <paramref name="registrations"/> REGISTERs of <paramref name="user"/> at
    /// <paramref name="perSecond"/> from <paramref name="address"/>.</summary>
    public static SippOptions Register(ServerProcess server, string user, string password, string address, int sipPort,
        int mediaPort, int registrations = 1, double perSecond = 1)
    {
        var path = Path.Combine(RepoPaths.NewTempDirectory("sipp-register"), "uac-register.xml");
        File.WriteAllText(path, Scenario.Replace("@USER@", user, StringComparison.Ordinal));
        return new SippOptions
        {
            Scenario = path,
            Remote = server.SipHostPort,
            LocalAddress = address,
            LocalPort = sipPort,
            MediaPort = mediaPort,
            Calls = registrations,
            Rate = perSecond,
            AuthUser = user,
            AuthPassword = password,
            Timeout = TimeSpan.FromSeconds(Math.Ceiling(registrations / perSecond) + 10),
            RecvTimeout = TimeSpan.FromSeconds(5),
        };
    }

    /// <summary>How many REGISTERs got 200.</summary>
    public static int Registered(SippResult result) => result.ReceivedStatusCodes.Count(c => c == 200);

    public static string Describe(SippResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"phone: exit {r.ExitCode}, statuses {string.Join(",", r.ReceivedStatusCodes)}\n")
        + r.Describe();
}
