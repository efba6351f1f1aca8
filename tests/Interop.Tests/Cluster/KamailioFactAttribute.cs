namespace Telephony.Interop.Tests.Cluster;

/// <summary>A fact that needs Kamailio: skipped, with the reason, only when the binary is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KamailioFactAttribute : FactAttribute
{
    public KamailioFactAttribute()
    {
        if (KamailioProcess.Binary is null)
        {
            Skip = "kamailio is not installed (apt-get install kamailio; scripts/test.sh installs it)";
        }
    }
}
