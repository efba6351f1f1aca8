using Telephony.Pbx.Calls;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>A small test application: answers <paramref name="number"/> and runs <paramref name="script"/> for each call.</summary>
internal sealed class ScriptedApplication(string number, Func<ApplicationCall, ValueTask> script) : ICallApplications
{
    public bool Answers(string dialed) => dialed == number;

    public ValueTask StartAsync(ApplicationCall call) => script(call);
}
