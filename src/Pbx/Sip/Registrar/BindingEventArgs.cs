namespace Telephony.Pbx.Sip.Registrar;

/// <summary>Carries the binding of a <see cref="LocationTable"/> added/removed/expired event.</summary>
public sealed class BindingEventArgs(Binding binding) : EventArgs
{
    /// <summary>The binding concerned (its last state).</summary>
    public Binding Binding { get; } = binding;
}
