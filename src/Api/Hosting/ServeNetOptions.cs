using ServeNet.Api.Benchmark;
using ServeNet.Api.Inference;
using ServeNet.Api.Models;
using Microsoft.Extensions.Options;
using ServeNet.Api.Observability;
using ServeNet.Api.Overload;
using ServeNet.Api.Predictions;
using ServeNet.Api.Security;

namespace ServeNet.Api.Hosting;

public static class ServeNetOptions
{
    /// <summary>
    /// Every "ServeNet:*" options section, bound from configuration (appsettings.json, then environment
    /// variables such as ServeNet__Models__Directory) and validated when the host starts.
    /// </summary>
    public static IServiceCollection AddServeNetOptions(this IServiceCollection services)
    {
        services.AddOptions<ModelsOptions>().BindConfiguration(ModelsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LogOptions>().BindConfiguration(LogOptions.Section).ValidateOnStart();
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OverloadOptions>().BindConfiguration(OverloadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OverloadOptions>, OverloadOptionsValidation>();
        services.AddOptions<BenchmarkOptions>().BindConfiguration(BenchmarkOptions.Section);
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CompressionOptions>().BindConfiguration(CompressionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
