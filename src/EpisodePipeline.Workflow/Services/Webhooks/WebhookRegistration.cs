using EpisodePipeline.Activities;
using EpisodePipeline.Options;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EpisodePipeline.Services.Webhooks;

/// <summary>The NotifyWebhook stage's registrations, called from the composition root.</summary>
internal static class WebhookRegistration
{
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // No resilience handler: the orchestration retries (durable timers survive a restart), and a second,
        // in-process retry layer would multiply the attempts the outcome reports.
        services.AddHttpClient(WebhookSender.ClientName, (sp, client) =>
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Webhook.TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.TryAddSingleton<IWebhookSender, WebhookSender>();
        services.TryAddTransient<PrepareWebhookActivity>();
        services.TryAddTransient<NotifyWebhookActivity>();
        return services;
    }

    public static DurableTaskRegistry AddWebhookTasks(this DurableTaskRegistry registry) => registry
        .AddActivity<PrepareWebhookActivity>()
        .AddActivity<NotifyWebhookActivity>();
}
