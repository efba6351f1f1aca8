using Telephony.Recording.Writing;

namespace Telephony.Host.Voicemail;

/// <summary>
/// The <c>voicemail</c> section of <c>config/telephony.yaml</c>: where messages are kept (mono WAV,
/// <c>&lt;directory&gt;/&lt;mailbox&gt;/yyyy/MM/dd/&lt;call id&gt;-&lt;n&gt;.wav</c>), their encoding, and what counts as speech
/// (a 20 ms frame whose RMS is above <see cref="SpeechLevel"/>; a message with less than <see cref="MinSpeechMs"/> of speech
/// is "nothing said" and thrown away).
/// </summary>
public sealed class VoicemailSettings
{
    /// <summary>Folder of the messages; relative to <c>data.directory</c>.</summary>
    public string Directory { get; set; } = "voicemail";

    /// <summary><c>pcm16</c>, <c>ulaw</c> or <c>alaw</c>.</summary>
    public string Format { get; set; } = "pcm16";

    /// <summary>RMS of a 20 ms frame (16-bit linear) above which it counts as speech; 400 ≈ -38 dBFS.</summary>
    public int SpeechLevel { get; set; } = 400;

    /// <summary>Less speech than this [ms] in a recording: nothing was said.</summary>
    public int MinSpeechMs { get; set; } = 200;

    /// <summary>Silence kept after the last speech when the silence timeout ended a message [ms].</summary>
    public int SilenceTailMs { get; set; } = 500;

    /// <summary>The parsed <see cref="Format"/>.</summary>
    public RecordingFormat ParsedFormat => Format.Trim().ToLowerInvariant() switch
    {
        "pcm16" or "pcm" => RecordingFormat.Pcm16,
        "ulaw" or "mulaw" or "pcmu" => RecordingFormat.MuLaw,
        "alaw" or "pcma" => RecordingFormat.ALaw,
        _ => throw new FormatException($"voicemail.format: '{Format}' is not one of pcm16, ulaw, alaw"),
    };

    /// <summary>Binds the section and resolves the folder against <paramref name="dataDirectory"/>; throws
    /// <see cref="FormatException"/> naming the key on invalid values.</summary>
    public static VoicemailSettings Load(IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new VoicemailSettings();
        configuration.GetSection("voicemail").Bind(settings);
        settings.Directory = Path.GetFullPath(settings.Directory, dataDirectory);
        _ = settings.ParsedFormat;
        if (settings.SpeechLevel is < 1 or > 32767)
        {
            throw new FormatException("voicemail.speechLevel must be from 1 to 32767");
        }
        if (settings.MinSpeechMs is < 0 or > 60_000 || settings.SilenceTailMs is < 0 or > 10_000)
        {
            throw new FormatException("voicemail.minSpeechMs must be from 0 to 60000 and voicemail.silenceTailMs from 0 to 10000");
        }
        return settings;
    }
}
