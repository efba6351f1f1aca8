using System.Data;
using Dapper;

namespace Telephony.Recording.Storage;

/// <summary>
/// Dapper mappings for the schema's conventions: times are INTEGER Unix milliseconds (UTC),
/// durations INTEGER milliseconds.
/// </summary>
internal static class UnixTimeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
            SqlMapper.AddTypeHandler(new TimeSpanHandler());
        }
    }

    public static long ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToDb(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static long? ToDb(TimeSpan? value) => value is { } v ? (long)v.TotalMilliseconds : null;

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) =>
            DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value.ToUnixTimeMilliseconds();
        }
    }

    private sealed class TimeSpanHandler : SqlMapper.TypeHandler<TimeSpan>
    {
        public override TimeSpan Parse(object value) =>
            TimeSpan.FromMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));

        public override void SetValue(IDbDataParameter parameter, TimeSpan value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = (long)value.TotalMilliseconds;
        }
    }
}
