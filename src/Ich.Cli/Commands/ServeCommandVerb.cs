using System.CommandLine;
using Ich.Cli.Serving;
using Ich.Serve.Hosting;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich serve</c>: the triage service (Ich.Serve; options and contract in docs/deploy.md). This verb supplies the
/// service's two seams: the study processor (the prediction job of <c>ich predict --dicom</c>, model loaded once
/// per process) and, with <c>--forward-to</c>, the STOW-RS forwarder of the results.
/// </summary>
internal sealed class ServeCommandVerb : ICliVerb
{
    public Command Build() => ServeCommand.Build(
        processorFactory: o => new PredictionStudyProcessor(PredictCommand.ResolveModel(o.ModelDir)),
        forwarderFactory: o => o.ForwardTo is { Length: > 0 } url ? new StowResultForwarder(url) : null);
}
