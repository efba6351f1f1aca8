namespace Telephony.Pbx.Queues.Configuration;

/// <summary>Thrown by <see cref="QueuesConfigLoader"/> when <c>queues.yaml</c> is invalid; lists every problem found.</summary>
public sealed class QueuesConfigException : Exception
{
    public QueuesConfigException(IReadOnlyList<QueuesConfigError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<QueuesConfigError> Errors { get; }
}
