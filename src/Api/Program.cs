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
using ServeNet.Api.Overload;
using ServeNet.Api.Page;

var builder = WebApplication.CreateBuilder(args);

// Options: appsettings.json, then environment variables (ServeNet__Models__Directory=...); validated at start-up
builder.Services.AddServeNetOptions();

// Logging: Serilog to the console, text or compact JSON; one line per request
builder.Services.AddServeNetLogging(builder.Configuration);

// HTTP: Kestrel address and limits (connections, request line, headers, body), strict JSON; every error as RFC 7807 problem details naming the field
builder.Services.ConfigureServeNetKestrel();
builder.Services.ConfigureServeNetJson();
builder.Services.AddServeNetProblemDetails();

// Models: slots swapped atomically, loaded at start-up and reloaded on change in the background
builder.Services.AddSingleton<ModelRegistry>();
builder.Services.AddSingleton<ModelLoader>();
builder.Services.AddHostedService<CheckpointWatcher>();

// Inference: optional micro-batching of concurrent single-text classifications (off by default, see docs/benchmarks.md)
builder.Services.AddSingleton<ClassifyBatcher>();

// Overload: predictions admitted by their cost in tokens (429 beyond the queue); a time limit per request (504)
builder.Services.AddSingleton<PredictionGate>();
builder.Services.AddServeNetRequestTimeouts();

// Predictions: Prometheus metrics and request-log facts
builder.Services.AddServeNetMetrics();
builder.Services.AddSingleton<PredictionLog>();

// OpenAPI: Swagger document with descriptions and example requests
builder.Services.AddServeNetOpenApi();

var app = builder.Build();

// Pipeline: request log, shutdown drain and metrics outside the error handling (they see every final
// status; methods outside the standard set renamed "other" first, metrics after routing to label by
// endpoint), then errors to problem details, the request-line and header limits, the time limit
// (inside the exception handler, which would take its cancellation for a client gone), the body limit
app.UseServeNetRequestLogging();
app.UseShutdownDrain();
app.UseKnownMethods();
app.UseRouting();
app.UseServeNetHttpMetrics();
app.UseExceptionHandler();
app.UseServeNetStatusCodePages();
app.UseRequestHeadLimits();
app.UseRequestTimeouts();
app.UseRequestBodyLimit();

// Documentation: the try-it page at / (wwwroot), Swagger UI at /swagger
app.UseDemoPage();
app.UseSwagger();
app.UseSwaggerUI(options => options.DocumentTitle = "ServeNet API");

// Endpoints
app.MapClassifyApi();
app.MapNerApi();
app.MapModelsApi();
app.MapHealthApi();
app.MapServeNetMetrics();

// Benchmark aid: POST /noop (the HTTP stack without a model) only when ServeNet:Benchmark:NoopEndpoint is on
if (app.Services.GetRequiredService<IOptions<BenchmarkOptions>>().Value.NoopEndpoint) app.MapNoopApi();

app.Run();

public partial class Program;
