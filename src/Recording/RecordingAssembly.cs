namespace Telephony.Recording;

/// <summary>Marker for the recording assembly.</summary>
public static class RecordingAssembly
{
}
