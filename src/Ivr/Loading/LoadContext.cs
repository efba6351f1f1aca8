using Telephony.Ivr.Model;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

/// <summary>The file being loaded and the errors found so far.</summary>
internal sealed class LoadContext(string file)
{
    public string File { get; } = file;
    public List<FlowError> Errors { get; } = [];

    public SourceLocation At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string message) =>
        Errors.Add(new FlowError(File, (int)node.Start.Line, (int)node.Start.Column, message));

    public void Error(SourceLocation at, string message) => Errors.Add(new FlowError(File, at.Line, at.Column, message));
}
