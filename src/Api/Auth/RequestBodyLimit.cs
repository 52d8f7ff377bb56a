using Forecasting.Api.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Auth;

/// <summary>Endpoint metadata: this route takes dataset uploads, so its body may be up to Uploads:MaxBytes.</summary>
public sealed record UploadBodyMetadata;

/// <summary>
/// Caps every request body at Limits:MaxRequestBodyBytes, routes marked <see cref="UploadBodyMetadata"/> at
/// Uploads:MaxBytes: a declared Content-Length above the cap is refused at once with 413, a chunked body when the
/// server's reader passes the cap (Kestrel's 413, mapped by the exception handler).
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<Limits> limits, IOptions<UploadsOptions> uploads)
{

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var isUpload = context.GetEndpoint()?.Metadata.GetMetadata<UploadBodyMetadata>() is not null;
        var max = isUpload ? uploads.Value.MaxBytes : limits.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = isUpload ? "Upload too large" : "Request body too large",
                    Detail = $"The body is {context.Request.ContentLength} bytes; {context.Request.Method} {context.Request.Path} accepts at most {max} bytes " +
                        $"({(isUpload ? "Uploads:MaxBytes" : "Limits:MaxRequestBodyBytes")}).",
                },
            });
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = max;
        await next(context);
    }
}
