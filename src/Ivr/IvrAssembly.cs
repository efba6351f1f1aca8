namespace Telephony.Ivr;

/// <summary>Marker for the IVR assembly (flow model, loader and engine arrive with the IVR issue).</summary>
public static class IvrAssembly
{
}
