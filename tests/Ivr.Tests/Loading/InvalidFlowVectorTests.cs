using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Loading;

/// <summary>
/// Every file under tests/Vectors/ivr/invalid/ is refused with exactly the errors its "# expect: LINE:COLUMN: message"
/// header lines list, each carrying the file name. IVR_UPDATE_GOLDEN=1 rewrites the headers from the loader.
/// </summary>
public sealed class InvalidFlowVectorTests
{
    private const string Expect = "# expect: ";

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "invalid"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Invalid_file_is_refused_with_located_errors(string name)
    {
        var path = Path.Combine(RepoPaths.Vectors, "invalid", name);
        var result = YamlFlowLoader.LoadFile(path, Path.Combine(RepoPaths.Vectors, "sounds"));

        Assert.False(result.Succeeded);
        Assert.Null(result.Flows);
        Assert.All(result.Errors, e => Assert.Equal(path, e.File));
        Assert.All(result.Errors, e => Assert.True(e.Line > 0 && e.Column > 0, e.ToString()));
        var actual = result.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}").ToList();
        var lines = File.ReadAllLines(path);
        if (Environment.GetEnvironmentVariable("IVR_UPDATE_GOLDEN") == "1")
        {
            var body = lines.Where(l => !l.StartsWith(Expect, StringComparison.Ordinal)).ToList();
            body.InsertRange(1, actual.Select(a => Expect + a));
            File.WriteAllLines(Path.Combine(RepoPaths.SourceVectors, "invalid", name), body);
            return;
        }
        var expected = lines.Where(l => l.StartsWith(Expect, StringComparison.Ordinal)).Select(l => l[Expect.Length..]).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Error_text_names_file_line_and_column()
    {
        var path = Path.Combine(RepoPaths.Vectors, "invalid", "typo-key.yaml");
        var error = YamlFlowLoader.LoadFile(path).Errors[0];
        Assert.Equal($"{path}:{error.Line}:{error.Column}: {error.Message}", error.ToString());
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_exception()
    {
        var result = YamlFlowLoader.LoadFile(Path.Combine(RepoPaths.Vectors, "does-not-exist.yaml"));
        Assert.False(result.Succeeded);
        Assert.Contains("cannot read the file", result.Errors.Single().Message);
    }
}
