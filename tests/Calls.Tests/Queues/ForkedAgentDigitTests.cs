using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;

namespace Telephony.Calls.Tests.Queues;

/// <summary>
/// An agent with two registered phones (a desk phone and the browser phone, forked on a queue call) keys a digit on the
/// phone that answered, whichever fork it is: the forks share one media session whose digits are raised under the first
/// fork, and the call still takes them as the bridged agent's (<c>*5</c> + index dispositions from either phone).
/// </summary>
public sealed class ForkedAgentDigitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_key_from_the_fork_that_answered_reaches_the_call_as_the_agents(int answering)
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        SipTestPeer[] phones = [await pbx.RegisteredPhoneAsync("1001"), await pbx.RegisteredPhoneAsync("1001")];
        var caller = await pbx.QueuedCallerAsync();
        var rings = new UasCall[2];
        for (var i = 0; i < 2; i++)
        {
            rings[i] = await pbx.RingingAsync(phones[i]);
        }

        var answered = await pbx.AnswerAsync(phones[answering], rings[answering]);
        var call = await pbx.ApplicationCallAsync(caller.CallId);
        var keys = new List<char>();
        call.AgentDigitReceived += (_, agent, digit) =>
        {
            lock (keys)
            {
                keys.Add(digit);
            }
        };
        answered.Media.Digit('7');
        await pbx.TickUntilAsync(() =>
        {
            lock (keys)
            {
                return keys.Contains('7');
            }
        }, TimeSpan.FromSeconds(2), $"the key from phone #{answering + 1} reaches the call");
    }
}
