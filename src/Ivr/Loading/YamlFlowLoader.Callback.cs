using Telephony.Ivr.Model;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

// `type: callback`.
public static partial class YamlFlowLoader
{
    private static CallbackNode? ReadCallback(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        var queueNode = reader.Required("queue");
        var queue = queueNode is null ? null : reader.Scalar(queueNode, "queue");
        if (queue is null)
        {
            return null;
        }
        return new CallbackNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            Queue = queue,
            QueueLocation = context.At(queueNode!),
            Priority = reader.Int("priority", 0, 1000),
        };
    }
}
