using EpisodePipeline;
using EpisodePipeline.Functions;
using EpisodePipeline.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddPipelineConfiguration(Path.Combine(AppContext.BaseDirectory, "config", "pipeline.yaml"));
builder.Services.AddEpisodePipeline();
// Links stay relative: the app's public address is known to the Functions host's proxy, not to the worker.
builder.Services.AddEpisodePipelineApi(FunctionsHostFacts.Read(Path.Combine(AppContext.BaseDirectory, "host.json")));
builder.Build().Run();
