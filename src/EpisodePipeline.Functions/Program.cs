using EpisodePipeline;
using EpisodePipeline.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddPipelineConfiguration(Path.Combine(AppContext.BaseDirectory, "config", "pipeline.yaml"));
builder.Services.AddEpisodePipeline(FunctionsHostFacts.Read(Path.Combine(AppContext.BaseDirectory, "host.json")));
builder.Build().Run();
