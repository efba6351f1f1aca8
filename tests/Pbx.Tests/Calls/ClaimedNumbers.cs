using Telephony.Pbx.Calls;

namespace Telephony.Pbx.Tests.Calls;

/// <summary>An <see cref="ICallApplications"/> that claims the numbers a predicate accepts and starts nothing.</summary>
internal sealed class ClaimedNumbers(Func<string, bool>? claims) : ICallApplications
{
    public bool Answers(string dialed) => claims?.Invoke(dialed) ?? false;

    public ValueTask StartAsync(ApplicationCall call) => ValueTask.CompletedTask;
}
