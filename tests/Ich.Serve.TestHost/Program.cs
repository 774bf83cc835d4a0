using Ich.Serve.Hosting;
using Ich.Serve.TestHost;

// TEST DOUBLE HOST: `serve` with the same options as `ich serve`, but the PixelMeanTestProcessor instead of
// the model and no result forwarder. Used by tests/Ich.Serve.Tests to run, kill and restart service processes.
var command = ServeCommand.Build(_ => new PixelMeanTestProcessor(), _ => null);
return await command.Parse(args).InvokeAsync().ConfigureAwait(false);
