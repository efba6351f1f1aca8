using System.Text;
using System.Text.Json;

namespace Telephony.Cluster.Bus;

/// <summary>
/// JSON encoding of <see cref="BusMessage"/> as a PostgreSQL <c>NOTIFY</c> payload: camelCase properties, nulls left out,
/// and shorter than 8000 bytes as PostgreSQL requires (its <c>NOTIFY</c> documentation: "the payload string ... must be
/// shorter than 8000 bytes"). Decoding never throws: a payload that is not one of ours is null.
/// </summary>
public static class BusCodec
{
    /// <summary>The largest payload PostgreSQL accepts, in UTF-8 bytes.</summary>
    public const int MaxPayloadBytes = 7999;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The payload of <paramref name="message"/>, or null (with <paramref name="sizeBytes"/>) when it is too large.</summary>
    public static string? TryEncode(BusMessage message, out int sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = JsonSerializer.Serialize(message, Json);
        sizeBytes = Encoding.UTF8.GetByteCount(text);
        return sizeBytes <= MaxPayloadBytes ? text : null;
    }

    /// <summary>The message in <paramref name="payload"/>, or null when it is not a well-formed bus message.</summary>
    public static BusMessage? TryDecode(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return null;
        }
        try
        {
            var message = JsonSerializer.Deserialize<BusMessage>(payload, Json);
            return message is { Kind.Length: > 0, From.Length: > 0, Id.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><paramref name="value"/> as a JSON body (camelCase, like the rest of the message).</summary>
    public static JsonElement ToBody<T>(T value) => JsonSerializer.SerializeToElement(value, Json);

    /// <summary>The body of <paramref name="message"/> as <typeparamref name="T"/>, or default when absent or malformed.</summary>
    public static T? FromBody<T>(BusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is not { ValueKind: JsonValueKind.Object or JsonValueKind.Array } body)
        {
            return default;
        }
        try
        {
            return body.Deserialize<T>(Json);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
