using System.Net;
using System.Text.Json;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.OpenInference;

/// <summary>The Open Inference Protocol (KServe V2) end to end, for both models, against the protocol's JSON shapes.</summary>
public sealed class OpenInferenceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Json = "application/json";

    [Fact]
    public async Task V2Server_MetadataLiveAndReady_AnswerTheProtocolObjects()
    {
        var client = await factory.StartAsync();

        var metadata = await client.GetAsync("/v2");
        var live = await client.GetAsync("/v2/health/live");
        var ready = await client.GetAsync("/v2/health/ready");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        var server = await metadata.Json();
        ProtocolShapes.ServerMetadata(server);
        Assert.Equal("servenet", server.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True((await live.Json()).GetProperty("live").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True((await ready.Json()).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task V2ModelMetadata_Sentiment_HasTextInputAndLabelAndProbabilityOutputs()
    {
        var client = await factory.StartAsync();
        string version = factory.Registry.Sentiment.Current!.Info.Version;

        var response = await client.GetAsync("/v2/models/sentiment");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await response.Json();
        ProtocolShapes.ModelMetadata(model);
        Assert.Equal("sentiment", model.GetProperty("name").GetString());
        Assert.Equal([version], model.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("servenet", model.GetProperty("platform").GetString());
        Assert.Equal(["text BYTES [-1]"], Tensors(model.GetProperty("inputs")));
        Assert.Equal(["label BYTES [-1]", "probabilities FP32 [-1,2]"], Tensors(model.GetProperty("outputs")));
        Assert.Equal("negative,positive", model.GetProperty("properties").GetProperty("labels").GetString());
    }

    [Fact]
    public async Task V2ModelMetadata_Ner_HasEntitiesAndTagsOutputs()
    {
        var client = await factory.StartAsync();

        var model = await (await client.GetAsync("/v2/models/ner")).Json();

        ProtocolShapes.ModelMetadata(model);
        Assert.Equal(["text BYTES [-1]"], Tensors(model.GetProperty("inputs")));
        Assert.Equal(["entities BYTES [-1]", "tags BYTES [-1]"], Tensors(model.GetProperty("outputs")));
    }

    [Theory]
    [InlineData("/v2/models/sentiment/ready", "sentiment")]
    [InlineData("/v2/models/ner/ready", "ner")]
    public async Task V2ModelReady_ServingModel_Returns200WithNameAndReady(string url, string name)
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal(name, body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task V2Infer_SentimentBatch_AnswersLabelAndProbabilitiesWithTheIdEchoed()
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/v2/models/sentiment/infer", """
            {"id": "42", "inputs": [{"name": "text", "shape": [3], "datatype": "BYTES",
              "data": ["a wonderful, moving film", "a dull, tedious mess", "a good film"]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Json();
        ProtocolShapes.InferenceResponse(body);
        Assert.Equal("42", body.GetProperty("id").GetString());
        Assert.Equal("sentiment", body.GetProperty("model_name").GetString());
        string version = body.GetProperty("model_version").GetString()!;
        Assert.Equal(version, Assert.Single(response.Headers.GetValues("X-Model-Version")));
        var outputs = Outputs(body);
        Assert.Equal(["label", "probabilities"], outputs.Keys);
        Assert.Equal("[3]", Shape(outputs["label"]));
        Assert.Equal(["positive", "negative", "positive"], outputs["label"].GetProperty("data").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("[3,2]", Shape(outputs["probabilities"]));
        Assert.Equal("FP32", outputs["probabilities"].GetProperty("datatype").GetString());
        float[] p = [.. outputs["probabilities"].GetProperty("data").EnumerateArray().Select(d => d.GetSingle())];
        for (int row = 0; row < 3; row++) Assert.InRange(p[2 * row] + p[2 * row + 1], 0.999f, 1.001f);
        Assert.True(p[1] > p[0] && p[2] > p[3], "row-major [n, labels]: text 0 positive, text 1 negative");
    }

    [Fact]
    public async Task V2Infer_NerAfterAnEmoji_AnswersEntitiesAndTagsAsJsonWithOffsetsInTheAskedUnit()
    {
        var client = await factory.StartAsync();
        const string text = "🤗 Angela Merkel met NASA";

        var utf16 = await (await client.PostJsonText("/v2/models/ner/infer",
            $$"""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["{{text}}"]}]}""")).Json();
        var codepoints = await (await client.PostJsonText("/v2/models/ner/infer",
            $$"""{"parameters": {"offsets": "codepoints"}, "inputs": [{"name": "text", "shape": [1, 1], "datatype": "BYTES", "data": [["{{text}}"]]}]}""")).Json();

        ProtocolShapes.InferenceResponse(utf16);
        var outputs = Outputs(utf16);
        Assert.Equal(["entities", "tags"], outputs.Keys);
        var entities = JsonDocument.Parse(outputs["entities"].GetProperty("data")[0].GetString()!).RootElement;
        Assert.Equal([("Angela Merkel", "PER", 3, 16), ("NASA", "ORG", 21, 25)], entities.EnumerateArray().Select(Entity));
        var tags = JsonDocument.Parse(outputs["tags"].GetProperty("data")[0].GetString()!).RootElement;
        Assert.Equal(["O", "B-PER", "I-PER", "O", "B-ORG"], tags.EnumerateArray().Select(t => t.GetProperty("tag").GetString()));
        foreach (var token in tags.EnumerateArray())
            Assert.Equal(token.GetProperty("text").GetString(), text[token.GetProperty("start").GetInt32()..token.GetProperty("end").GetInt32()]);
        var python = JsonDocument.Parse(Outputs(codepoints)["entities"].GetProperty("data")[0].GetString()!).RootElement;
        Assert.Equal([("Angela Merkel", "PER", 2, 15), ("NASA", "ORG", 20, 24)], python.EnumerateArray().Select(Entity));
    }

    [Fact]
    public async Task V2Infer_RequestedOutputsAndNoId_AnswersOnlyThoseWithTheRequestId()
    {
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/sentiment/infer")
        {
            Content = new StringContent("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["good"]}], "outputs": [{"name": "probabilities"}]}""",
                System.Text.Encoding.UTF8, Json),
        };
        request.Headers.Add("X-Request-Id", "client-7");

        var response = await client.SendAsync(request);

        var body = await response.Json();
        ProtocolShapes.InferenceResponse(body);
        Assert.Equal(["probabilities"], Outputs(body).Keys);
        Assert.Equal("client-7", body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task V2Infer_TheServingVersionInTheUrl_Answers()
    {
        var client = await factory.StartAsync();
        string version = factory.Registry.Ner.Current!.Info.Version;

        var response = await client.PostJsonText($"/v2/models/ner/versions/{version}/infer",
            """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["Angela Merkel"]}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, (await response.Json()).GetProperty("model_version").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/models/ner/versions/{version}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/models/ner/versions/{version}/ready")).StatusCode);
    }

    [Fact]
    public async Task V2Infer_TheSpecificationsExampleRequest_IsReadAndRefusedNamingTheInput()
    {
        // The request of inference_rest.md's "Inference Request Examples", verbatim: a well-formed inference request
        // for another model (two inputs, UINT32 and BOOL). It must be read as the protocol's object and refused the
        // protocol's way, not as malformed JSON.
        var client = await factory.StartAsync();
        const string example = """
            {
              "id" : "42",
              "inputs" : [
                {
                  "name" : "input0",
                  "shape" : [ 2, 2 ],
                  "datatype" : "UINT32",
                  "data" : [ 1, 2, 3, 4 ]
                },
                {
                  "name" : "input1",
                  "shape" : [ 3 ],
                  "datatype" : "BOOL",
                  "data" : [ true ]
                }
              ],
              "outputs" : [
                {
                  "name" : "output0"
                }
              ]
            }
            """;

        var response = await client.PostJsonText("/v2/models/sentiment/infer", example);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inputs: Give exactly one input, \"text\" (BYTES, shape [n]); found 2.", ProtocolShapes.Error(await response.Json()));
    }

    [Fact]
    public async Task V2Infer_TheSpecificationsExampleAdaptedToText_AnswersTheDocumentedResponseShape()
    {
        // The same example with this model's input: the response has the documented fields ("id", "outputs" with
        // name, shape, datatype and row-major data) for the one requested output.
        var client = await factory.StartAsync();

        var response = await client.PostJsonText("/v2/models/sentiment/infer", """
            {"id": "42", "inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["good", "bad"]}],
             "outputs": [{"name": "label"}]}
            """);

        var body = await response.Json();
        ProtocolShapes.InferenceResponse(body);
        Assert.Equal("42", body.GetProperty("id").GetString());
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("label", output.GetProperty("name").GetString());
        Assert.Equal("[2]", Shape(output));
        Assert.Equal("BYTES", output.GetProperty("datatype").GetString());
    }

    public static TheoryData<string, string, string> BadRequests() => new()
    {
        { """{"inputs": [{"name": "text", "shape": [1], "datatype": "FP32", "data": [1.0]}]}""", "400", "inputs[0].datatype: Expected BYTES; found \"FP32\"." },
        { """{"inputs": [{"name": "input-0", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", "400", "inputs[0].name: Expected \"text\"; found \"input-0\"." },
        { """{"inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["a"]}]}""", "400", "inputs[0].data: Has 1 strings; the shape [2] says 2." },
        { """{"inputs": [{"name": "text", "shape": [1, 2], "datatype": "BYTES", "data": ["a", "b"]}]}""", "400", "inputs[0].shape: Expected [n] (or [n, 1]) for n texts; found [1, 2]." },
        { """{"inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["a", 5]}]}""", "400", "inputs[0].data[1]: Expected a string (BYTES); found a number." },
        { """{"inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["a", " "]}]}""", "400", "inputs[0].data[1]: The text is empty or only whitespace." },
        { """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}], "outputs": [{"name": "logits"}]}""", "400", "outputs[0].name: No output \"logits\"; this model's outputs are label, probabilities." },
        { """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}], "tensors": 1}""", "400", "tensors: Unknown field: an inference request has id, parameters, inputs and outputs." },
        { """{"inputs": []}""", "400", "inputs: Give exactly one input, \"text\" (BYTES, shape [n]); found 0." },
        { """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}], "parameters": {"offsets": "bytes"}}""", "400", "parameters.offsets: Expected utf16, codepoints or utf8; found \"bytes\"." },
        { """{"inputs": [{"name": "text", "shape": [3], "datatype": "BYTES", "data": ["a", "b", "c"]}]}""", "413", "inputs[0].data: The batch has 3 texts; the limit is 2. Split it into several requests." },
        { """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["bad \ud800 text"]}]}""", "400", "inputs[0].data[0]: The string is not valid Unicode: it has a lone surrogate escape such as \"\\ud800\"." },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task V2Infer_BadRequest_AnswersTheProtocolsErrorObjectNamingTheField(string body, string status, string error)
    {
        await using var limited = new ApiFactory { Settings = { ["ServeNet:Limits:MaxBatchSize"] = "2" } };
        var client = await limited.StartAsync();

        var response = await client.PostJsonText("/v2/models/sentiment/infer", body);

        Assert.Equal(status, ((int)response.StatusCode).ToString());
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, ProtocolShapes.Error(await response.Json()));
    }

    [Theory]
    [InlineData("GET", "/v2/models/translation", "404", "No model \"translation\"; the models are sentiment, ner.")]
    [InlineData("GET", "/v2/models/sentiment/versions/sentiment-000000000000/ready", "404", "Model sentiment has no version \"sentiment-000000000000\"; it serves")]
    [InlineData("POST", "/v2/models/ner/versions/v1/infer", "404", "Model ner has no version \"v1\"; it serves")]
    [InlineData("GET", "/v2/repository/index", "404", "No endpoint at GET /v2/repository/index; see /swagger.")]
    [InlineData("GET", "/v2/models/ner/infer", "405", "GET is not allowed here; see /swagger.")]
    public async Task V2_UnknownModelVersionOrRoute_AnswersTheProtocolsErrorObject(string method, string url, string status, string error)
    {
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST") request.Content = new StringContent("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", System.Text.Encoding.UTF8, Json);

        var response = await client.SendAsync(request);

        Assert.Equal(status, ((int)response.StatusCode).ToString());
        Assert.StartsWith(error, ProtocolShapes.Error(await response.Json()));
    }

    [Theory]
    [InlineData("text/plain", "not json", "415", "Send the body as JSON with the header Content-Type: application/json.")]
    [InlineData(Json, """{"inputs": [{"name": "text",""", "400", "inputs[0]: The body is not valid JSON here.")]
    [InlineData(Json, "", "400", "body: An inference request object is required")]
    public async Task V2Infer_UnreadableBody_AnswersTheProtocolsErrorObject(string mediaType, string body, string status, string error)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsync("/v2/models/ner/infer", new StringContent(body, System.Text.Encoding.UTF8, mediaType));

        Assert.Equal(status, ((int)response.StatusCode).ToString());
        Assert.StartsWith(error, ProtocolShapes.Error(await response.Json()));
    }

    [Fact]
    public async Task V2_ModelNotLoaded_ReadyAnswers503AndInferTheErrorObject()
    {
        await using var missing = new ApiFactory { WriteNer = false };
        var client = await missing.StartAsync();

        var server = await client.GetAsync("/v2/health/ready");
        var model = await client.GetAsync("/v2/models/ner/ready");
        var infer = await client.PostJsonText("/v2/models/ner/infer", """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, server.StatusCode);
        Assert.False((await server.Json()).GetProperty("ready").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, model.StatusCode);
        Assert.False((await model.Json()).GetProperty("ready").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, infer.StatusCode);
        Assert.Equal("model not loaded: ner.ckpt: file not found", ProtocolShapes.Error(await infer.Json()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/models/sentiment/ready")).StatusCode);
    }

    private static Dictionary<string, JsonElement> Outputs(JsonElement body) =>
        body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);

    private static string Shape(JsonElement tensor) => $"[{string.Join(",", tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}]";

    private static IEnumerable<string> Tensors(JsonElement tensors) =>
        tensors.EnumerateArray().Select(t => $"{t.GetProperty("name").GetString()} {t.GetProperty("datatype").GetString()} {Shape(t)}");

    private static (string?, string?, int, int) Entity(JsonElement e) =>
        (e.GetProperty("text").GetString(), e.GetProperty("type").GetString(), e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32());
}
