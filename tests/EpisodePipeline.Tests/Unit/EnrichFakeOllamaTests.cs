using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EpisodePipeline.TestKit;
using Microsoft.Extensions.AI;
using OllamaSharp;
using Xunit;

namespace EpisodePipeline.Tests.Unit;

/// <summary>The fake Ollama speaks the protocol OllamaSharp expects: streamed and not, tags, errors.</summary>
public class EnrichFakeOllamaTests : IAsyncLifetime
{
    private FakeOllama _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeOllama.StartAsync("llama3.1:8b");

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task OllamaSharp_StreamedAndNot_GetsTheScriptedAnswer()
    {
        using var client = new OllamaApiClient(new Uri(_fake.Url), "llama3.1:8b");
        IChatClient chat = client;
        _fake.Enqueue(FakeReply.Answer("{\"streamed\": true, \"text\": \"a longer answer to be cut into chunks\"}"), FakeReply.Answer("{\"streamed\": false}"));

        var streamed = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
        {
            streamed.Append(update.Text);
        }

        var whole = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("{\"streamed\": true, \"text\": \"a longer answer to be cut into chunks\"}", streamed.ToString());
        Assert.Equal("{\"streamed\": false}", whole.Text);
        Assert.Equal([true, false], _fake.Chats.Select(c => c.Stream));
        Assert.True(await client.IsRunningAsync());
        Assert.Equal(["llama3.1:8b"], (await client.ListLocalModelsAsync()).Select(m => m.Name));
    }

    [Fact]
    public async Task Chat_UnknownBodyFields_AreIgnoredAndRecorded()
    {
        using var http = new HttpClient();
        var body = """{"model":"llama3.1:8b","stream":false,"keep_alive":"5m","think":false,"messages":[{"role":"user","content":"hi","images":null}],"novel_field":{"x":1}}""";

        using var response = await http.PostAsync(_fake.Url + "/api/chat", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(answer["done"]!.GetValue<bool>());
        Assert.Equal("hi", Assert.Single(_fake.Chats).Material);
        Assert.Equal(1, _fake.Chats[0].Body["novel_field"]!["x"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_ModelNotPulled_Answers404LikeOllama()
    {
        using var http = new HttpClient();

        using var response = await http.PostAsync(_fake.Url + "/api/chat", new StringContent("""{"model":"mistral","messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("model \\\"mistral\\\" not found, try pulling it first", await response.Content.ReadAsStringAsync());
    }
}
