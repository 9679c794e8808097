using Microsoft.Extensions.Options;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Overload;

/// <summary>The checks that need the request limits too: a request the limits allow must be able to run.</summary>
public sealed class OverloadOptionsValidation(IOptions<LimitsOptions> limits) : IValidateOptions<OverloadOptions>
{
    public ValidateOptionsResult Validate(string? name, OverloadOptions options)
    {
        int largest;
        try
        {
            largest = limits.Value.MaxTokensPerRequest;
        }
        catch (OptionsValidationException)
        {
            return ValidateOptionsResult.Skip; // the limits are invalid themselves, and say so
        }
        var failures = new List<string>();
        if (options.MaxTokensInFlight < largest)
            failures.Add($"{OverloadOptions.Section}:{nameof(options.MaxTokensInFlight)} ({options.MaxTokensInFlight}) must be at least "
                + $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxTokensPerRequest)} ({largest}): a request that large could never run.");
        if (options.MaxTokensPerClient > 0 && options.MaxTokensPerClient < largest)
            failures.Add($"{OverloadOptions.Section}:{nameof(options.MaxTokensPerClient)} ({options.MaxTokensPerClient}) must be 0 (off) or at least "
                + $"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxTokensPerRequest)} ({largest}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
