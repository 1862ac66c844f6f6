using System.Net;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// Retries the sandbox's own calls to the emulator (connect, seed, subscribe) on answers that mean "later" — 408, 429
/// and 5xx — honouring <c>Retry-After</c>, as an ARM client would: an emulator injecting faults must not stop the host at
/// start. Requests the emulator could not have handled twice are safe to send again (its faults answer before handling).
/// </summary>
internal sealed class TransientRetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxAttempts = 6;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var contentHeaders = request.Content?.Headers.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (attempt == MaxAttempts || !IsTransient(response.StatusCode))
            {
                return response;
            }

            var delay = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromTicks(FirstDelay.Ticks << (attempt - 1));
            response.Dispose();
            await Task.Delay(delay < MaxDelay ? delay : MaxDelay, cancellationToken);
            if (body is not null)
            {
                // A sent content cannot be sent again: the same bytes and headers go in a fresh one.
                var content = new ByteArrayContent(body);
                foreach (var (name, values) in contentHeaders!)
                {
                    content.Headers.TryAddWithoutValidation(name, values);
                }

                request.Content = content;
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
