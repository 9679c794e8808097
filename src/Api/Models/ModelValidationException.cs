namespace ServeNet.Api.Models;

/// <summary>A checkpoint that reads fine but whose model gives a wrong answer to its warm-up request.</summary>
public sealed class ModelValidationException(string message) : Exception(message);
