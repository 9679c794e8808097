using Microsoft.Extensions.Options;
using ServeNet.Api.Benchmark;
using ServeNet.Api.Classification;
using ServeNet.Api.Errors;
using ServeNet.Api.Health;
using ServeNet.Api.Hosting;
using ServeNet.Api.Inference;
using ServeNet.Api.Models;
using ServeNet.Api.Ner;
using ServeNet.Api.Observability;
using ServeNet.Api.OpenApi;
using ServeNet.Api.OpenInference;
using ServeNet.Api.Overload;
using ServeNet.Api.Page;
using ServeNet.Api.Security;

var builder = WebApplication.CreateBuilder(args);

// Options: appsettings.json, then environment variables (ServeNet__Models__Directory=...); validated at start-up
builder.Services.AddServeNetOptions();

// Logging: Serilog to the console, text or compact JSON; one line per request, with its X-Request-Id
builder.Services.AddServeNetLogging(builder.Configuration);

// HTTP: Kestrel address and limits (connections, request line, headers, body), strict JSON; every error as RFC 7807
// problem details naming the field ({"error": "..."} under /v2); compression of large batches and CORS when switched on
builder.Services.ConfigureServeNetKestrel();
builder.Services.ConfigureServeNetJson();
builder.Services.AddServeNetProblemDetails();
builder.Services.AddServeNetCompression();
builder.Services.AddServeNetCors();

// Models: slots swapped atomically, loaded at start-up and reloaded on change in the background
builder.Services.AddSingleton<ModelRegistry>();
builder.Services.AddSingleton<ModelLoader>();
builder.Services.AddHostedService<CheckpointWatcher>();

// Inference: optional micro-batching of concurrent single-text classifications (off by default, see docs/benchmarks.md)
builder.Services.AddSingleton<ClassifyBatcher>();

// Overload: predictions admitted by their cost in tokens (429 beyond the queue); a time limit per request (504)
builder.Services.AddSingleton<PredictionGate>();
builder.Services.AddServeNetRequestTimeouts();

// Observability: Prometheus metrics, request-log facts, OpenTelemetry over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
builder.Services.AddServeNetMetrics();
builder.Services.AddSingleton<PredictionLog>();
builder.Services.AddServeNetTelemetry(builder.Configuration);

// OpenAPI: Swagger document with descriptions, example requests and the shipped models' answers
builder.Services.AddServeNetOpenApi();

var app = builder.Build();

// Pipeline, outermost first. Request ids first: their headers are set as the response starts, so every answer has
// them, a 414 or 401 written by a middleware below included. The request log, shutdown drain and metrics outside the
// error handling (they see every final status; the drain must see the connection's own RequestAborted, before the time
// limit links its own; methods outside the standard set renamed "other" before routing and metrics, whose labels
// stay bounded: route patterns, /v2's included). Compression before anything writes a body (only answers a handler
// marked as a large batch are compressed). CORS after routing and outside the error handling: it answers preflights
// before any limit or key (a preflight carries no key), and its headers, set as the response starts, reach error
// answers too. Then errors to problem details (or {"error"} under /v2), the request-line and header limits, API keys
// (when configured: a 401 before the time limit starts and before anything reads a body), the time limit (inside the
// exception handler, which would take its cancellation for a client gone), and the body limit.
app.UseRequestIds();
app.UseServeNetRequestLogging();
app.UseShutdownDrain();
app.UseKnownMethods();
app.UseServeNetCompression();
app.UseRouting();
app.UseServeNetHttpMetrics();
app.UseServeNetCors();
app.UseExceptionHandler();
app.UseServeNetStatusCodePages();
app.UseRequestHeadLimits();
app.UseApiKeys();
app.UseRequestTimeouts();
app.UseRequestBodyLimit();

// Documentation: the try-it page at / (wwwroot), Swagger UI at /swagger
app.UseDemoPage();
app.UseSwagger();
app.UseSwaggerUI(options => options.DocumentTitle = "ServeNet API");

// Endpoints: the predictions (their own JSON, Hugging Face style, and the Open Inference Protocol), then operations
app.MapClassifyApi();
app.MapNerApi();
app.MapOpenInferenceApi();
app.MapModelsApi();
app.MapHealthApi();
app.MapServeNetMetrics();

// Benchmark aid: POST /noop (the HTTP stack without a model) only when ServeNet:Benchmark:NoopEndpoint is on
if (app.Services.GetRequiredService<IOptions<BenchmarkOptions>>().Value.NoopEndpoint) app.MapNoopApi();

app.Run();

public partial class Program;
