using System.Reflection;

namespace Telephony.Architecture.Tests;

/// <summary>
/// Behaviour is plugged in through constructor-injected interfaces (ports), not through settable delegates or settable
/// observers on public types: a settable hook can be forgotten, set twice or raced, and hides the dependency from the
/// constructor (STYLE.md §9).
/// </summary>
public sealed class TypedSeamTests
{
    public static TheoryData<string> Assemblies() => [.. AssemblyDependencyTests.Allowed.Keys];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_public_settable_delegate_or_observer_properties(string name)
    {
        var offenders = Assembly.Load(name).GetExportedTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(p => p.SetMethod is { IsPublic: true } && !IsInitOnly(p) && IsHook(p.PropertyType))
                .Select(p => $"{t.FullName}.{p.Name}"))
            .ToList();
        Assert.True(offenders.Count == 0, "settable hooks: " + string.Join(", ", offenders));
    }

    private static bool IsHook(Type type) =>
        typeof(Delegate).IsAssignableFrom(type) ||
        (type.IsInterface && (type.Name.EndsWith("Observer", StringComparison.Ordinal) || type.Name.EndsWith("Handler", StringComparison.Ordinal)));

    private static bool IsInitOnly(PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers()
            .Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
}
