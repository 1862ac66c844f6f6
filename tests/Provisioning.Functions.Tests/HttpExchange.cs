using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Provisioning.Functions.Tests;

/// <summary>An ASP.NET Core request made for a function, and the answer the function's <see cref="IResult"/> writes.</summary>
internal sealed class HttpExchange
{
    private static readonly IServiceProvider ResultServices = new ServiceCollection().AddLogging().AddOptions().BuildServiceProvider();

    private HttpExchange(DefaultHttpContext context) => Context = context;

    public DefaultHttpContext Context { get; }

    public HttpRequest Request => Context.Request;

    public int Status => Context.Response.StatusCode;

    public IHeaderDictionary Headers => Context.Response.Headers;

    public string Body { get; private set; } = string.Empty;

    public JsonNode Json => JsonNode.Parse(Body)!;

    public static HttpExchange Create(string method, string path, string? body = null, string? contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext { RequestServices = ResultServices };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 7071);
        var query = path.IndexOf('?', StringComparison.Ordinal);
        request.Path = query < 0 ? path : path[..query];
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
        }

        request.ContentType = contentType;
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return new HttpExchange(context);
    }

    /// <summary>Writes <paramref name="result"/> as the ASP.NET Core integration does, and reads what it wrote.</summary>
    public async Task<HttpExchange> AnswerAsync(IResult result)
    {
        await result.ExecuteAsync(Context);
        Context.Response.Body.Position = 0;
        using var reader = new StreamReader(Context.Response.Body);
        Body = await reader.ReadToEndAsync();
        return this;
    }
}
