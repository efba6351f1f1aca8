using Telephony.Ivr.Model;

namespace Telephony.Ivr.Loading;

public static partial class YamlFlowLoader
{
    private static VoicemailNode? ReadVoicemail(LoadContext context, MappingReader reader, string id, Model.SourceLocation at,
        Dictionary<string, IvrTarget> events)
    {
        var mailbox = reader.String("mailbox", required: true);
        reader.Required("prompt");
        PromptRef? beep = new(VoicemailNode.DefaultBeep, at);
        if (reader.Get("beep") is { } beepNode && reader.Scalar(beepNode, "beep") is { } beepText)
        {
            beep = beepText == "none" ? null : new PromptRef(beepText, context.At(beepNode));
        }
        TimeSpan? silence = TimeSpan.FromSeconds(5);
        if (reader.Get("silence") is { } silenceNode)
        {
            silence = reader.Scalar(silenceNode, "silence") == "none" ? null : reader.Duration("silence");
        }
        char? finishKey = '#';
        if (reader.Get("finish_key") is { } keyNode)
        {
            finishKey = reader.Scalar(keyNode, "finish_key") is "none" ? null : reader.DigitOf(keyNode, "finish_key");
        }
        var maxLength = reader.Duration("max_length") ?? TimeSpan.FromMinutes(2);
        if (maxLength > TimeSpan.FromMinutes(30) && reader.Get("max_length") is { } lengthNode)
        {
            context.Error(lengthNode, $"max_length of voicemail '{id}' must be at most 30m");
        }
        if (mailbox is null)
        {
            return null;
        }
        if (mailbox.Length == 0 || !mailbox.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+'))
        {
            context.Error(reader.Get("mailbox")!, $"mailbox '{mailbox}' of voicemail '{id}' must be a queue name or an extension");
        }
        return new VoicemailNode
        {
            Id = id, Location = at, Events = events,
            Mailbox = mailbox,
            Prompts = Prompts(context, reader, "prompt"),
            Beep = beep,
            MaxLength = maxLength,
            Silence = silence,
            FinishKey = finishKey,
            Review = reader.Bool("review") ?? true,
            ReviewPrompts = Prompts(context, reader, "review_prompt"),
            ReviewTimeout = reader.Duration("review_timeout") ?? TimeSpan.FromSeconds(5),
            SavedPrompts = Prompts(context, reader, "saved_prompt"),
            EmptyPrompts = Prompts(context, reader, "empty_prompt"),
            MaxAttempts = reader.Int("max_attempts", 1, 10) ?? 3,
        };
    }
}
