namespace Telephony.Pbx;
internal static class Placeholder { }
