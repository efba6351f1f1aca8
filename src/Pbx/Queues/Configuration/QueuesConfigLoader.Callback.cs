using YamlDotNet.RepresentationModel;

namespace Telephony.Pbx.Queues.Configuration;

// The `callback:` queue setting (CallbackOptions).
public static partial class QueuesConfigLoader
{
    private static readonly string[] CallbackKeys =
    [
        "offerAfterSeconds", "digit", "attempts", "retrySeconds", "customerRingSeconds", "trunk", "hours",
        "waitForOpening", "deadlineMinutes",
    ];

    private sealed partial class Reader
    {
        /// <summary><c>callback: off</c>, <c>callback: on</c> (the defaults) or a mapping of <see cref="CallbackKeys"/>
        /// over <paramref name="current"/> (the defaults' callback, when the queue inherits one).</summary>
        private CallbackOptions? ReadCallback(YamlNode node, CallbackOptions? current)
        {
            if (node is YamlScalarNode s)
            {
                switch (s.Value)
                {
                    case "off" or "false" or "no":
                        return null;
                    case "on" or "true" or "yes":
                        return current ?? new CallbackOptions();
                    default:
                        Error(node, $"'callback' must be on, off or a mapping of {string.Join(", ", CallbackKeys)}");
                        return current;
                }
            }
            if (node is not YamlMappingNode m)
            {
                Error(node, $"'callback' must be on, off or a mapping of {string.Join(", ", CallbackKeys)}");
                return current;
            }
            CheckKeys(m, CallbackKeys, "callback");
            var o = current ?? new CallbackOptions();
            if (Get(m, "offerAfterSeconds") is { } oa && ReadInt(oa, "offerAfterSeconds", 0, 86_400) is { } oav)
            {
                o = o with { OfferAfter = TimeSpan.FromSeconds(oav) };
            }
            if (Get(m, "digit") is { } d && ReadString(d, "digit") is { } dv)
            {
                if (dv.Length == 1 && (char.IsAsciiDigit(dv[0]) || dv[0] is '*' or '#'))
                {
                    o = o with { Digit = dv[0] };
                }
                else
                {
                    Error(d, $"'digit' must be one key 0-9, * or #, not '{dv}'");
                }
            }
            if (Get(m, "attempts") is { } a && ReadInt(a, "attempts", 1, 20) is { } av)
            {
                o = o with { Attempts = av };
            }
            if (Get(m, "retrySeconds") is { } r && ReadInt(r, "retrySeconds", 0, 86_400) is { } rv)
            {
                o = o with { RetryDelay = TimeSpan.FromSeconds(rv) };
            }
            if (Get(m, "customerRingSeconds") is { } cr && ReadInt(cr, "customerRingSeconds", 1, 600) is { } crv)
            {
                o = o with { CustomerRingTimeout = TimeSpan.FromSeconds(crv) };
            }
            if (Get(m, "trunk") is { } t)
            {
                o = o with { Trunk = NonEmpty(ReadString(t, "trunk")) };
            }
            if (Get(m, "hours") is { } h)
            {
                o = o with { Hours = NonEmpty(ReadString(h, "hours")) };
            }
            if (Get(m, "waitForOpening") is { } w && ReadBool(w, "waitForOpening") is { } wv)
            {
                o = o with { WaitForOpening = wv };
            }
            if (Get(m, "deadlineMinutes") is { } dl && ReadInt(dl, "deadlineMinutes", 0, 60 * 24 * 60) is { } dlv)
            {
                o = o with { Deadline = TimeSpan.FromMinutes(dlv) };
            }
            return o;
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
