using EpisodePipeline.WhisperWorker;

// dotnet EpisodePipeline.WhisperWorker.dll --model PATH [--threads 4] [--language en] [--concurrency 1]
// Started by WhisperProcessTranscriber; speaks WorkerProtocol on stdin/stdout and logs to stderr.
return await WorkerHost.RunAsync(WorkerSettings.Parse(args), Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
