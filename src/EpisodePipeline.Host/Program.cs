using EpisodePipeline.Host.Commands;

return await Cli.RunAsync(args, Console.Out, Console.Error);
