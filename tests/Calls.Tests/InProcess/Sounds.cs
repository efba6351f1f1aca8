using Telephony.Pbx.Media;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>The sample prompts (sounds/en/), for checks that a phone heard one.</summary>
internal static class Sounds
{
    /// <summary>The samples of sounds/en/<paramref name="id"/>.wav, e.g. <c>queue/you-are-caller-number</c>.</summary>
    public static ReadOnlySpan<short> Of(string id) =>
        AudioClip.LoadWav(Path.Combine(AppContext.BaseDirectory, "sounds", "en", id + ".wav")).Samples.Span;
}
