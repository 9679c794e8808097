using ServeNet.Bench.MlNetServe;

var builder = WebApplication.CreateBuilder(args);

// Model: the ML.NET .zip named by MlNet:ModelPath, loaded once, predictions through a pool of engines
var options = builder.Configuration.GetSection(MlNetOptions.Section).Get<MlNetOptions>() ?? new MlNetOptions();
builder.Services.AddSingleton(new SentimentModel(options));

// Errors: problem details
builder.Services.AddProblemDetails();

var app = builder.Build();

// Endpoints
app.MapClassifyApi();

app.Run();
