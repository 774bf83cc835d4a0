using System.CommandLine;
using Ich.Core.Errors;
using Ich.Serve.Work;

namespace Ich.Serve.Hosting;

/// <summary>
/// The <c>serve</c> command line (contract in docs/deploy.md). Built here so that the <c>ich</c> verb and
/// the test host parse exactly the same options; each supplies its own processor and forwarder.
/// Options marked hidden exist for tests and tuning and are documented in docs/deploy.md.
/// </summary>
public static class ServeCommand
{
    /// <summary>Builds the command; the factories are called once, after the options are parsed and valid.</summary>
    public static Command Build(Func<ServeOptions, IStudyProcessor?> processorFactory, Func<ServeOptions, IResultForwarder?> forwarderFactory)
    {
        var data = new Option<string>("--data") { Description = "data folder: stored instances, results, SQLite queue", Required = true };
        var urls = new Option<string>("--urls") { Description = "listen URLs, ';'-separated (non-loopback needs --token-file)", DefaultValueFactory = _ => "http://127.0.0.1:8042" };
        var db = new Option<string?>("--db") { Description = "postgres://user@host:port/db for a queue shared by many workers (default: SQLite in --data)" };
        var workers = new Option<int>("--workers") { Description = "worker loops in this process", DefaultValueFactory = _ => 1 };
        var model = new Option<string?>("--model") { Description = "model folder (default: the bundled model)" };
        var tokenFile = new Option<string?>("--token-file") { Description = "file with the bearer token every route but /healthz requires" };
        var stable = new Option<double>("--stable-seconds") { Description = "seconds without a new instance before a study is queued", DefaultValueFactory = _ => 10 };
        var forward = new Option<string?>("--forward-to") { Description = "DICOMweb base URL that receives the DICOM results by STOW-RS" };
        var role = new Option<string>("--role") { Description = "all, intake or worker", DefaultValueFactory = _ => "all" };
        role.AcceptOnlyFromAmong("all", "intake", "worker");
        var maxAttempts = new Option<int>("--max-attempts") { Description = "runs of one study before it is marked failed", DefaultValueFactory = _ => 3 };
        var maxBodyMb = new Option<double>("--max-body-mb") { Description = "largest request body, MiB", DefaultValueFactory = _ => 2048 };
        var maxPartMb = new Option<double>("--max-part-mb") { Description = "largest instance in an upload, MiB", DefaultValueFactory = _ => 512 };
        var lease = new Option<double>("--lease-seconds") { Description = "worker lease length (heartbeats renew it)", DefaultValueFactory = _ => 60, Hidden = true };
        var poll = new Option<double>("--poll-seconds") { Description = "queue polling period", DefaultValueFactory = _ => 0.5, Hidden = true };

        var command = new Command("serve", "triage service: DICOMweb STOW-RS intake, durable queue, workers, results API and worklist")
        {
            data, urls, db, workers, model, tokenFile, stable, forward, role, maxAttempts, maxBodyMb, maxPartMb, lease, poll,
        };
        command.SetAction(async (parse, cancel) =>
        {
            try
            {
                var options = new ServeOptions
                {
                    DataDir = parse.GetValue(data)!,
                    Urls = parse.GetValue(urls)!,
                    Db = parse.GetValue(db),
                    Workers = parse.GetValue(workers),
                    ModelDir = parse.GetValue(model),
                    TokenFile = parse.GetValue(tokenFile),
                    StableSeconds = parse.GetValue(stable),
                    ForwardTo = parse.GetValue(forward),
                    Role = Enum.Parse<ServeRole>(parse.GetValue(role)!, ignoreCase: true),
                    MaxAttempts = parse.GetValue(maxAttempts),
                    MaxBodyBytes = (long)(parse.GetValue(maxBodyMb) * 1024 * 1024),
                    MaxPartBytes = (long)(parse.GetValue(maxPartMb) * 1024 * 1024),
                    LeaseSeconds = parse.GetValue(lease),
                    PollSeconds = parse.GetValue(poll),
                };
                ServeOptionsValidator.Validate(options);
                var processor = options.RunsWorkers ? processorFactory(options) : null;
                var forwarder = options.ForwardTo is null ? null : forwarderFactory(options);
                var app = await ServeHost.BuildAsync(options, processor, forwarder, cancel: cancel).ConfigureAwait(false);
                await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(app, cancel).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                return 0;
            }
            catch (IchException e)
            {
                await Console.Error.WriteLineAsync($"ich serve: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
