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
using ServeNet.Api.Page;
using ServeNet.Api.Security;

var builder = WebApplication.CreateBuilder(args);

// Options: appsettings.json, then environment variables (ServeNet__Models__Directory=...); validated at start-up
builder.Services.AddServeNetOptions();

// Logging: Serilog to the console, text or compact JSON; one line per request, with its X-Request-Id
builder.Services.AddServeNetLogging(builder.Configuration);

// HTTP: Kestrel address and body limit, strict JSON; every error as RFC 7807 problem details naming the field
// ({"error": "..."} under /v2); compression of large batches and CORS when switched on
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

// Observability: Prometheus metrics, request-log facts, OpenTelemetry over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
builder.Services.AddServeNetMetrics();
builder.Services.AddSingleton<PredictionLog>();
builder.Services.AddServeNetTelemetry(builder.Configuration);

// OpenAPI: Swagger document with descriptions, example requests and the shipped models' answers
builder.Services.AddServeNetOpenApi();

var app = builder.Build();

// Pipeline: request ids on every response; the request log and metrics outside the error handling (they see every
// final status; metrics after routing, to label by endpoint); compression and CORS when on; errors to problem
// details; API keys (when configured) before anything reads a body; then the body limit
app.UseRequestIds();
app.UseServeNetRequestLogging();
app.UseServeNetCompression();
app.UseRouting();
app.UseServeNetHttpMetrics();
app.UseServeNetCors();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiKeys();
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
